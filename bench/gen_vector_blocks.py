def gen_block(name, rows, vecs, partial=False, masked=False, doc=""):
    L=[]
    if doc: L.append(f"    /** {doc} */")
    extra = ", int cols, float[] scratch" if (partial or masked) else ""
    L.append(f"    private static void {name}(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b,")
    L.append(f"            int bj, int ldb, int k, float[] z, int zo, int zs{extra}) {{")
    def voff(v):
        return "" if v == 0 else (" + L" if v == 1 else f" + {v} * L")
    def off(r, v):
        o = "ci" if r == 0 else ("ci + ldc" if r == 1 else f"ci + {r} * ldc")
        return o + voff(v)
    def is_part(v): return (partial and v == vecs - 1) or masked
    cnt = "cols - L" if partial else "cols"
    def zoff(r, v):
        o = "zo" if r == 0 else ("zo + zs" if r == 1 else f"zo + {r} * zs")
        return o + voff(v)
    for r in range(rows):
        for v in range(vecs):
            L.append(f"        FloatVector c{r}{v} = FloatVector.fromArray(S, z, {zoff(r, v)});")
    def body(ind, partload):
        B=[]
        for v in range(vecs):
            src = "bp" + voff(v)
            if is_part(v):
                B.append(f"{ind}FloatVector b{v} = {partload};")
            else:
                B.append(f"{ind}FloatVector b{v} = FloatVector.fromArray(S, b, {src});")
        for r in range(rows):
            idx = "a[ap]" if r == 0 else ("a[ap + rs]" if r == 1 else f"a[ap + {r} * rs]")
            B.append(f"{ind}FloatVector x{r} = FloatVector.broadcast(S, {idx});")
            for v in range(vecs):
                B.append(f"{ind}c{r}{v} = x{r}.fma(b{v}, c{r}{v});")
        return B
    L.append("        int ap = aRow;")
    L.append("        int bp = bj;")
    if False:
        psrc = "bp + L" if partial else "bp"
        L.append(f"        int safe = safeSteps(b.length, {'bj + L' if partial else 'bj'}, ldb, k);")
        L.append("        int p = 0;")
        L.append("        for (; p < safe; p++, ap += ps, bp += ldb) {")
        L += body("            ", f"FloatVector.fromArray(S, b, {psrc})")
        L.append("        }")
        L.append("        if (p < k) {")
        L.append(f"            VectorMask<Float> mask = S.indexInRange(0, {cnt});")
        L.append("            for (; p < k; p++, ap += ps, bp += ldb) {")
        L += body("                ", f"FloatVector.fromArray(S, b, {psrc}, mask)")
        L.append("            }")
        L.append("        }")
    else:
        L.append("        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {")
        L += body("            ", "FloatVector.fromArray(S, b, bp + L)" if partial else "FloatVector.fromArray(S, b, bp)")
        L.append("        }")
    spill = partial  # whole-vector stores of row r's partial vector spill into row r + 1, then are overwritten
    if spill:
        L.append("        // row r's partial vector is stored whole: its extra lanes land on the first columns of row")
        L.append("        // r + 1, which that row's first vector, stored next, overwrites; the block's last row goes")
        L.append("        // through scratch, since the row after it may belong to another thread")
    for r in range(rows):
        for v in range(vecs):
            if is_part(v) and not (spill and r < rows - 1):
                L.append(f"        c{r}{v}.intoArray(scratch, 0);")
                L.append(f"        System.arraycopy(scratch, 0, c, {off(r, v)}, {cnt});")
            else:
                L.append(f"        c{r}{v}.intoArray(c, {off(r, v)});")
    L.append("    }")
    return "\n".join(L) + "\n"

blocks = "\n".join([
    gen_block("block8x2", 8, 2, doc="Eight rows by two vectors: sixteen accumulators, for CPUs with 32 vector registers (AVX-512)."),
    gen_block("block8x2Partial", 8, 2, partial=True, doc="Eight rows, a whole vector and a partial one (cols in (L, 2L)): the 30-wide layers on AVX-512."),
    gen_block("block8x1", 8, 1, doc="Eight rows by one vector: the 16-wide latent layer on AVX-512."),
    gen_block("block4x2", 4, 2, doc="Four rows by two vectors: eight accumulators, for CPUs with 16 vector registers (AVX2)."),
    gen_block("block4x1", 4, 1, doc="Four rows by one vector."),
    gen_block("block4xMasked", 4, 1, masked=True, doc="Four rows by a partial vector (cols &lt; L)."),
    gen_block("block1x4", 1, 4, doc="One row by four vectors: the last rows of an odd-sized block, with four chains in flight."),
])

src = open("/tmp/gen/template.java").read().replace("//BLOCKS//", blocks)
open("/work/main/java/core/src/main/java/dev/recon/backend/cpu/VectorKernels.java", "w").write(src)
