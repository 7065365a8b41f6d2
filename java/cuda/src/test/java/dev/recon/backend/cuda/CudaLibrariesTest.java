package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the loader looks for the driver and the CUDA libraries, on a made-up file tree. */
class CudaLibrariesTest {
    @TempDir
    Path root;

    private Path touch(String rel) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "not a library");
    }

    @Test
    void findsCuda13InAPythonWheelAndTheDriverInTheSystemFolder() throws IOException {
        Path driver = touch("usr/lib/x86_64-linux-gnu/libcuda.so.1");
        Path cublas = touch("usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublas.so.13");
        Path lt = touch("usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublasLt.so.13");
        Path nvrtc = touch("usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libnvrtc.so.13");
        Path builtins = touch("usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libnvrtc-builtins.so.13.0");
        CudaLibraries.Found f = CudaLibraries.locate(Map.of(), root);
        assertEquals(driver, f.driver());
        assertEquals(cublas, f.cublas13());
        assertEquals(lt, f.cublasLt13());
        assertEquals(nvrtc, f.nvrtc13());
        assertEquals(builtins, f.nvrtcBuiltins13());
        assertNull(f.cublas12());
        assertNull(f.nvrtc12());
    }

    @Test
    void explicitFoldersComeFirstThenTheNewestToolkit() throws IOException {
        touch("usr/local/cuda-12.9/lib64/libcublas.so.12");
        Path newest = touch("usr/local/cuda-12.10/lib64/libcublas.so.12");
        CudaLibraries.Found f = CudaLibraries.locate(Map.of(), root);
        assertEquals(newest, f.cublas12(), "12.10 is newer than 12.9");
        Path mine = touch("opt/mine/libcublas.so.12");
        f = CudaLibraries.locate(Map.of("RECON_CUDA_LIBS", "/opt/mine"), root);
        assertEquals(mine, f.cublas12());
        Path home = touch("cudahome/targets/x86_64-linux/lib/libnvrtc.so.12");
        f = CudaLibraries.locate(Map.of("CUDA_HOME", "/cudahome"), root);
        assertEquals(home, f.nvrtc12());
    }

    @Test
    void followsLdSoConfIncludes() throws IOException {
        Files.createDirectories(root.resolve("etc/ld.so.conf.d"));
        Files.writeString(root.resolve("etc/ld.so.conf"), "# comment\ninclude /etc/ld.so.conf.d/*.conf\n");
        Files.writeString(root.resolve("etc/ld.so.conf.d/nvidia.conf"), "/opt/nvidia/lib  # the driver\n");
        Path driver = touch("opt/nvidia/lib/libcuda.so.1");
        assertEquals(driver, CudaLibraries.locate(Map.of(), root).driver());
    }

    @Test
    void onlyTheNamedFoldersWhenAskedAndTheDescriptionSaysWhatIsMissing() throws IOException {
        touch("usr/lib/x86_64-linux-gnu/libcuda.so.1");
        CudaLibraries.Found f = CudaLibraries.locate(Map.of("RECON_CUDA_LIBS_ONLY", "1"), root);
        assertNull(f.driver());
        assertEquals(List.of(), f.searched());
        assertTrue(f.describe().get(0).equals("driver library: not found"), f.describe().toString());
    }

    @Test
    void containerDriverFoldersAndVirtualEnvironmentsUnderOpt() throws IOException {
        Path driver = touch("usr/local/nvidia/lib64/libcuda.so.1");
        Path cublas = touch("opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcublas.so.13");
        CudaLibraries.Found f = CudaLibraries.locate(Map.of(), root);
        assertEquals(driver, f.driver());
        assertEquals(cublas, f.cublas13());
    }

    @Test
    void aLibrarysCompanionComesFromItsOwnFolderFirst() throws IOException {
        touch("usr/lib/x86_64-linux-gnu/libcublasLt.so.13");
        Path cublas = touch("opt/cuda13/libcublas.so.13");
        Path lt = touch("opt/cuda13/libcublasLt.so.13");
        CudaLibraries.Found f = CudaLibraries.locate(Map.of("LD_LIBRARY_PATH", "/usr/lib/x86_64-linux-gnu:/opt/cuda13"), root);
        assertEquals(cublas, f.cublas13());
        assertEquals(lt, f.cublasLt13(), "not the other release's cuBLASLt found earlier on the path");
    }
}
