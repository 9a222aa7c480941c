package generate

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	mrand "math/rand/v2"

	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/workflow"
)

// pictureCount is how many photographs the generated library holds: a
// network reuses its archive's pictures, so the large-site figures
// include image requests without a gigabyte of originals.
const pictureCount = 48

// pictures uploads the generated photographs, as an editor would, and
// returns them; uploading the same seed again finds the same images.
func pictures(ctx context.Context, pub *publishing.Service, editor workflow.Actor, seed uint64) ([]media.Item, error) {
	out := make([]media.Item, 0, pictureCount)
	for i := range pictureCount {
		data, err := photograph(seed, i)
		if err != nil {
			return nil, err
		}
		it, _, err := pub.UploadMedia(ctx, editor, publishing.Upload{Data: data, FileName: fmt.Sprintf("archive-%02d.jpg", i+1),
			Details: media.Details{Alt: fmt.Sprintf("Archive photograph %d: a street with figures in the distance", i+1),
				Caption: "From the network's archive.", Credit: "Photo: HEN archive", Licence: "Public domain",
				FocusX: media.Centre, FocusY: media.Centre}})
		if err != nil {
			return nil, fmt.Errorf("generate: upload photograph %d: %w", i+1, err)
		}
		out = append(out, it)
	}
	return out, nil
}

// photograph is a 1600 × 1000 picture: a sepia sky and ground, and a few
// dark blocks for buildings, different for every seed and number.
func photograph(seed uint64, n int) ([]byte, error) {
	rng := mrand.New(mrand.NewPCG(seed, uint64(n)+1<<32))
	const w, h = 1600, 1000
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	horizon := h/2 + rng.IntN(h/4)
	for y := range h {
		shade := uint8(200 - 120*y/h)
		if y > horizon {
			shade = uint8(90 + 40*(y-horizon)/(h-horizon))
		}
		c := color.RGBA{shade, uint8(int(shade) * 9 / 10), uint8(int(shade) * 7 / 10), 255}
		for x := range w {
			img.SetRGBA(x, y, c)
		}
	}
	for range 4 + rng.IntN(6) {
		bw, bh := 80+rng.IntN(240), 120+rng.IntN(horizon-60)
		x0 := rng.IntN(w - bw)
		dark := uint8(30 + rng.IntN(50))
		for y := horizon - bh; y < horizon; y++ {
			for x := x0; x < x0+bw; x++ {
				img.SetRGBA(x, y, color.RGBA{dark, dark, dark * 9 / 10, 255})
			}
		}
	}
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	return b.Bytes(), err
}
