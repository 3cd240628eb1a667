package datasets

import "fmt"

const fashionName = "fashion-mnist"

var fashionDir = "/usr/share/datasets/fashion-mnist"

const fashionTrainRows = 60000
const fashionDescription = "Zalando article images, 28x28 greyscale, 10 kinds of clothing"

var fashionClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

func fashionSource() string {
	return "Zalando Research (MIT licence), Debian package dataset-fashion-mnist in " + fashionDir
}

func fashionInstalled() bool { return false }

func loadFashion(pairs []kv) (*Dataset, error) { return nil, fmt.Errorf("fashion-mnist: not yet") }

func loadFile(path string, opts LoadOptions) (*Dataset, error) {
	return nil, fmt.Errorf("%s: loading files lands shortly", path)
}
