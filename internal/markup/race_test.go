//go:build race

package markup

// raceEnabled says the tests run under the race detector, whose sync.Pool
// drops what it holds at random: allocation counts mean nothing then.
const raceEnabled = true
