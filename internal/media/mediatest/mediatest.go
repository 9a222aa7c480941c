// Package mediatest makes real image files for tests: photographs with
// EXIF orientation and GPS tags, transparent PNGs, animated GIFs, WebPs,
// and the hostile files an upload form meets (decompression bombs, cut
// files, polyglots).
package mediatest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"

	"github.com/gen2brain/webp"
)

// Secret is text the EXIF block of WithEXIF carries (as the camera's
// make and serial number): no public response may ever contain it.
const Secret = "QuireSecretCameraSerial-4711"

// Picture is a w × h test card: a gradient with a red quarter at the top
// left, so that orientation and crops can be seen in the result.
func Picture(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(x * 255 / max(1, w)), uint8(y * 255 / max(1, h)), 128, 255}
			if x < w/2 && y < h/2 {
				c = color.NRGBA{220, 20, 20, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// JPEG is a w × h photograph.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, Picture(w, h), &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PNG is a w × h image whose right half is transparent.
func PNG(w, h int) []byte {
	img := Picture(w, h)
	for y := range h {
		for x := w / 2; x < w; x++ {
			img.SetNRGBA(x, y, color.NRGBA{})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// GIF is a w × h animation of two frames.
func GIF(w, h int) []byte {
	pal := color.Palette{color.Black, color.White, color.NRGBA{220, 20, 20, 255}}
	var frames []*image.Paletted
	for i := range 2 {
		f := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for y := range h {
			for x := range w {
				f.SetColorIndex(x, y, uint8((x/8+y/8+i)%3))
			}
		}
		frames = append(frames, f)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, &gif.GIF{Image: frames, Delay: []int{10, 10}}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// WebP is a w × h WebP image.
func WebP(w, h int) []byte {
	var b bytes.Buffer
	if err := webp.Encode(&b, Picture(w, h), webp.Options{Quality: 80}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Bomb is a PNG that declares w × h pixels in its header and holds none:
// what a decompression bomb looks like before it is decoded.
func Bomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk(&b, "IHDR", ihdr)
	chunk(&b, "IEND", nil)
	return b.Bytes()
}

func chunk(b *bytes.Buffer, kind string, data []byte) {
	_ = binary.Write(b, binary.BigEndian, uint32(len(data)))
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	b.WriteString(kind)
	b.Write(data)
	_ = binary.Write(b, binary.BigEndian, crc.Sum32())
}

// WithEXIF puts an EXIF block after a JPEG's start: the orientation
// (1 to 8; 6 means the camera was turned a quarter clockwise), the
// camera's make and serial (Secret), and GPS coordinates (Stockholm).
func WithEXIF(jpg []byte, orientation uint16) []byte {
	// A little-endian TIFF: IFD0 with Make, Orientation, GPS pointer;
	// then the GPS IFD with latitude and longitude.
	le := binary.LittleEndian
	var t bytes.Buffer
	t.WriteString("II*\x00")
	_ = binary.Write(&t, le, uint32(8))
	secret := append([]byte(Secret), 0)
	const ifd0Entries = 3
	ifd0End := 8 + 2 + ifd0Entries*12 + 4
	makeAt := ifd0End
	gpsAt := makeAt + len(secret)
	entry := func(tag, typ uint16, count, value uint32) {
		_ = binary.Write(&t, le, tag)
		_ = binary.Write(&t, le, typ)
		_ = binary.Write(&t, le, count)
		_ = binary.Write(&t, le, value)
	}
	_ = binary.Write(&t, le, uint16(ifd0Entries))
	entry(0x010F, 2, uint32(len(secret)), uint32(makeAt)) // Make
	entry(0x0112, 3, 1, uint32(orientation))              // Orientation
	entry(0x8825, 4, 1, uint32(gpsAt))                    // GPS IFD
	_ = binary.Write(&t, le, uint32(0))
	t.Write(secret)
	const gpsEntries = 4
	ratAt := gpsAt + 2 + gpsEntries*12 + 4
	_ = binary.Write(&t, le, uint16(gpsEntries))
	entry(0x0001, 2, 2, uint32('N'))      // GPSLatitudeRef
	entry(0x0002, 5, 3, uint32(ratAt))    // GPSLatitude
	entry(0x0003, 2, 2, uint32('E'))      // GPSLongitudeRef
	entry(0x0004, 5, 3, uint32(ratAt+24)) // GPSLongitude
	_ = binary.Write(&t, le, uint32(0))
	for _, r := range []uint32{59, 1, 19, 1, 4512, 100, 18, 1, 4, 1, 1234, 100} {
		_ = binary.Write(&t, le, r)
	}
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2]) // SOI
	out.Write([]byte{0xFF, 0xE1})
	_ = binary.Write(&out, binary.BigEndian, uint16(len(payload)+2))
	out.Write(payload)
	out.Write(jpg[2:])
	return out.Bytes()
}
