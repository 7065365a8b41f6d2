package dev.recon.cli;

import dev.recon.data.Dataset;
import dev.recon.data.IdxReader;
import dev.recon.data.PngFolderReader;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which reader a data path takes: a folder of PNGs, an IDX image file, or (anything else) CSV. */
final class DataFiles {
    private DataFiles() {
    }

    static boolean isImages(Path data) {
        return Files.isDirectory(data) || IdxReader.isIdxImages(data);
    }

    /** Images, labelled where {@code labels} (IDX) or {@code normalClass} (a PNG folder's subfolder) say so. */
    static Dataset images(Path data, Path labels, String normalClass) {
        if (Files.isDirectory(data)) {
            if (labels != null) {
                throw new IllegalArgumentException("--labels is for IDX images; a folder of PNGs takes its classes from "
                        + "its subfolders (--normal-class SUBFOLDER)");
            }
            return PngFolderReader.read(data, normalClass);
        }
        return IdxReader.read(data, labels, normalClass);
    }
}
