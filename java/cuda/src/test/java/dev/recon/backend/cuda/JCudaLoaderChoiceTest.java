package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which cuBLAS (or NVRTC) the loader takes, and with which dependency and shim. */
class JCudaLoaderChoiceTest {
    static final Path V12 = Path.of("/c12/libcublas.so.12");
    static final Path LT12 = Path.of("/c12/libcublasLt.so.12");
    static final Path V13 = Path.of("/c13/libcublas.so.13");
    static final Path LT13 = Path.of("/c13/libcublasLt.so.13");

    private static JCudaLoader.Choice choose(Path v12, Path v13, boolean pair12, String want) {
        return JCudaLoader.choose("cuBLAS", "libcublas.so.12", v12, v12 == null ? null : LT12, v13,
                v13 == null ? null : LT13, pair12, want);
    }

    @Test
    void cuda12WhereTheWholeSetIsThereElseCuda13ThroughTheShim() {
        JCudaLoader.Choice c = choose(V12, V13, true, "auto");
        assertEquals(List.of(LT12, V12), c.preload(), "dependency first");
        assertNull(c.shim());
        c = choose(V12, V13, false, "auto");
        assertEquals(List.of(LT13, V13), c.preload());
        assertEquals("libcublas.so.12", c.shim());
        assertTrue(c.description().contains("compatibility layer"));
        assertNull(choose(V12, null, false, "auto").shim(), "CUDA 12 alone is taken directly");
        assertEquals("libcublas.so.12", choose(null, V13, false, "auto").shim());
    }

    @Test
    void forcedVersionsAreHonouredOrRefusedWithTheReason() {
        assertEquals("libcublas.so.12", choose(V12, V13, true, "13").shim());
        assertNull(choose(V12, V13, false, "12").shim());
        assertTrue(assertThrows(CudaUnavailableException.class, () -> choose(V12, null, true, "13")).getMessage()
                .contains("-Drecon.cuda.libs=13, but libcublas.so.13 was not found"));
        assertTrue(assertThrows(CudaUnavailableException.class, () -> choose(null, V13, false, "12")).getMessage()
                .contains("-Drecon.cuda.libs=12, but libcublas.so.12 was not found"));
        assertTrue(assertThrows(CudaUnavailableException.class, () -> choose(null, null, false, "auto")).getMessage()
                .startsWith("no cuBLAS (neither libcublas.so.12 nor libcublas.so.13 found"));
    }
}
