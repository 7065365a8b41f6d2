package dev.recon.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of image rows: height by width pixels of 1 (grayscale) or 3 (RGB) channels, stored
 * row-major with the channels of a pixel together, one feature each.
 */
public record ImageShape(int height, int width, int channels) {
    public ImageShape {
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("images need a positive size and 1 or 3 channels, got " + height + "x"
                    + width + "x" + channels);
        }
        if ((long) height * width * channels > 1 << 24) {
            throw new IllegalArgumentException("images of " + height + "x" + width + "x" + channels
                    + " values are too large (16,777,216 at most)");
        }
    }

    public int pixels() {
        return height * width * channels;
    }

    /** px0, px1, ... for grayscale; px0_r, px0_g, px0_b, ... for RGB. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(pixels());
        for (int i = 0; i < height * width; i++) {
            if (channels == 1) {
                names.add("px" + i);
            } else {
                names.add("px" + i + "_r");
                names.add("px" + i + "_g");
                names.add("px" + i + "_b");
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return height + "x" + width + (channels == 3 ? " RGB" : " grayscale");
    }
}
