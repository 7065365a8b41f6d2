package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recon export} from the shaded jar: Tribuo's classes and protobuf are shaded into it, and
 * a signature file or a missing class would only show here.
 */
class ExportIT {
    @TempDir
    Path dir;

    @Test
    void theShadedJarExportsTheCommittedModel() throws Exception {
        Cli.Run r = Cli.run(dir, Cli.repo(), "export", "--model", Cli.repo().resolve("models/creditcard-subset").toString(),
                "--format", "onnx", "--out", "m.onnx");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("recon export: ae-knn detector"), r.err());
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("m.onnx")));
        assertEquals(8, m.getIrVersion());
        assertEquals(13, m.getOpsetImport(0).getVersion());
    }
}
