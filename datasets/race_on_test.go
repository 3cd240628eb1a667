//go:build race

package datasets

// raceEnabled lets the largest loads (Fashion-MNIST's 60,000 images, the
// 100k-row CSV) be checked once without the race detector's 10x slowdown;
// they run single-threaded code that the race detector has nothing to say
// about.
const raceEnabled = true
