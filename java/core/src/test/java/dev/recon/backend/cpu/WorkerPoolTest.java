package dev.recon.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void everyItemRunsExactlyOnceInChunksStartingAtMultiplesOfTheGrain() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                for (int count : new int[] {0, 1, 7, 8, 9, 64, 100, 513, 4096, 70_001}) {
                    for (int grain : new int[] {1, 8, 16, 64}) {
                        AtomicIntegerArray seen = new AtomicIntegerArray(count);
                        int[] badStart = {0};
                        pool.run((from, to, worker) -> {
                            if (from % grain != 0 || worker < 0 || worker >= threads) {
                                badStart[0]++;
                            }
                            for (int i = from; i < to; i++) {
                                seen.incrementAndGet(i);
                            }
                        }, count, grain);
                        for (int i = 0; i < count; i++) {
                            assertEquals(1, seen.get(i), "item " + i + " of " + count + ", grain " + grain + ", "
                                    + threads + " threads");
                        }
                        assertEquals(0, badStart[0], "chunk not on the grain or bad worker number");
                    }
                }
            }
        }
    }

    @Test
    void aThreadThatIsHeldUpLeavesItsChunksToTheOthers() {
        // worker 1 stalls in its first chunk, as a core the host has paused would: the caller
        // must take over the rest of worker 1's run instead of waiting for it
        try (WorkerPool pool = new WorkerPool(2)) {
            int count = 64;
            int[] ranBy = new int[count];
            pool.run((from, to, worker) -> {
                if (worker == 1 && from >= count / 2) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                for (int i = from; i < to; i++) {
                    ranBy[i] = worker;
                }
            }, count, 1);
            int byCaller = 0;
            for (int i = count / 2; i < count; i++) {
                byCaller += ranBy[i] == 0 ? 1 : 0;
            }
            // the helper may not even have woken before the caller finished its own run; either
            // way, at most one chunk (an eighth of the items) of the second half was the helper's
            assertTrue(byCaller >= count / 2 - count / 8, "the caller took " + byCaller + " items of the held-up run");
        }
    }

    @Test
    void aFailureInAnyChunkReachesTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            for (int failing : new int[] {0, 63}) {
                IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run((from, to, w) -> {
                    if (from <= failing && failing < to) {
                        throw boom;
                    }
                }, 64, 1));
                assertSame(boom, thrown);
            }
            // and the pool still works afterwards
            AtomicIntegerArray seen = new AtomicIntegerArray(64);
            pool.run((from, to, w) -> {
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            }, 64, 1);
            for (int i = 0; i < 64; i++) {
                assertEquals(1, seen.get(i));
            }
        }
    }
}
