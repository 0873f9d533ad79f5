/**
 * The MinHash inner loop in WebAssembly SIMD: for 8 permutations at a time, the least
 * `a·h + b mod 2^32` over a text's pre-mixed shingle hashes, with `i32x4.mul`, `i32x4.add` and
 * `i32x4.min_u` doing four permutations per instruction. Same arithmetic as the scalar loop in
 * minhash.ts (which the tests hold it to bit for bit), about three times fewer instructions. The
 * module is ~230 bytes, written out below instruction by instruction, so it needs no toolchain.
 *
 * Memory layout: a (padded to a multiple of 8 permutations) at 0, then b, then the output, then
 * the shingle hashes; `sign(aBytes, bOffset, outOffset, hashesStart, hashesEnd)`.
 */

/** Unsigned LEB128, as section and body sizes are written. */
function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function section(id: number, content: readonly number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

// The function `sign`, instruction by instruction (locals 0-4 are the parameters).
// prettier-ignore
const BODY = [
  0x02, 0x02, 0x7f, 0x07, 0x7b, // locals: p, i (i32, 5-6); a0, a1, b0, b1, m0, m1, h (v128, 7-13)
  0x02, 0x40, 0x03, 0x40, // block $done, loop $perm
  0x20, 0x05, 0x20, 0x00, 0x4f, 0x0d, 0x01, // if p >= aBytes: br $done
  0x20, 0x05, 0xfd, 0x00, 0x04, 0x00, 0x21, 0x07, // a0 = v128.load [p]
  0x20, 0x05, 0xfd, 0x00, 0x04, 0x10, 0x21, 0x08, // a1 = v128.load [p + 16]
  0x20, 0x05, 0x20, 0x01, 0x6a, 0xfd, 0x00, 0x04, 0x00, 0x21, 0x09, // b0 = v128.load [p + bOffset]
  0x20, 0x05, 0x20, 0x01, 0x6a, 0xfd, 0x00, 0x04, 0x10, 0x21, 0x0a, // b1 = v128.load [p + bOffset + 16]
  0x41, 0x7f, 0xfd, 0x11, 0x22, 0x0b, 0x21, 0x0c, // m0 = m1 = i32x4.splat(-1)
  0x20, 0x03, 0x21, 0x06, // i = hashesStart
  0x02, 0x40, 0x03, 0x40, // block $hashed, loop $hash
  0x20, 0x06, 0x20, 0x04, 0x4f, 0x0d, 0x01, // if i >= hashesEnd: br $hashed
  0x20, 0x06, 0x28, 0x02, 0x00, 0xfd, 0x11, 0x21, 0x0d, // h = i32x4.splat(i32.load [i])
  0x20, 0x0b, 0x20, 0x07, 0x20, 0x0d, 0xfd, 0xb5, 0x01, 0x20, 0x09, 0xfd, 0xae, 0x01, 0xfd, 0xb7, 0x01, 0x21, 0x0b, // m0 = min_u(m0, a0·h + b0)
  0x20, 0x0c, 0x20, 0x08, 0x20, 0x0d, 0xfd, 0xb5, 0x01, 0x20, 0x0a, 0xfd, 0xae, 0x01, 0xfd, 0xb7, 0x01, 0x21, 0x0c, // m1 = min_u(m1, a1·h + b1)
  0x20, 0x06, 0x41, 0x04, 0x6a, 0x21, 0x06, // i += 4
  0x0c, 0x00, 0x0b, 0x0b, // br $hash; end loop, end block
  0x20, 0x05, 0x20, 0x02, 0x6a, 0x20, 0x0b, 0xfd, 0x0b, 0x04, 0x00, // v128.store [p + outOffset] m0
  0x20, 0x05, 0x20, 0x02, 0x6a, 0x20, 0x0c, 0xfd, 0x0b, 0x04, 0x10, // v128.store [p + outOffset + 16] m1
  0x20, 0x05, 0x41, 0x20, 0x6a, 0x21, 0x05, // p += 32
  0x0c, 0x00, 0x0b, 0x0b, // br $perm; end loop, end block
  0x0b, // end function
];

const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
  ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // type 0: (i32 x5) -> ()
  ...section(3, [0x01, 0x00]), // function 0 has type 0
  ...section(5, [0x01, 0x00, 0x01]), // memory 0: at least one page
  ...section(7, [0x02, 0x04, 0x73, 0x69, 0x67, 0x6e, 0x00, 0x00, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00]), // exports "sign", "memory"
  ...section(10, [0x01, ...leb(BODY.length), ...BODY]),
]);

// The WebAssembly global of Node (the DOM lib, which types it, is not in this project's tsconfig).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
};

type SignFn = (aBytes: number, bOffset: number, outOffset: number, hashesStart: number, hashesEnd: number) => void;

/** One instance per thread, holding the permutations last used. */
interface Instance {
  readonly memory: WasmMemory;
  readonly sign: SignFn;
  loaded?: { a: Uint32Array; b: Uint32Array };
}

let instance: Instance | null | undefined;

function open(): Instance | null {
  if (instance !== undefined) return instance;
  try {
    const exports = new WebAssembly.Instance(new WebAssembly.Module(MODULE)).exports as { memory: WasmMemory; sign: SignFn };
    instance = { memory: exports.memory, sign: exports.sign };
  } catch {
    // No WebAssembly SIMD (an old or restricted runtime): the scalar loop serves.
    instance = null;
  }
  return instance;
}

/**
 * The least `a[p]·hashes[i] + b[p] mod 2^32` over i, for every permutation p, into `out`; false
 * when WebAssembly SIMD is unavailable (the caller then uses the scalar loop).
 */
export function minimaSimd(hashes: Int32Array, a: Uint32Array, b: Uint32Array, out: Uint32Array): boolean {
  const wasm = open();
  if (wasm === null) return false;
  const count = a.length;
  const padded = Math.ceil(count / 8) * 8;
  const bOffset = padded * 4;
  const outOffset = 2 * bOffset;
  const hashesStart = 3 * bOffset;
  const needed = hashesStart + hashes.length * 4;
  if (wasm.memory.buffer.byteLength < needed) wasm.memory.grow(Math.ceil((needed - wasm.memory.buffer.byteLength) / 65536));
  const memory = wasm.memory.buffer;
  if (wasm.loaded?.a !== a || wasm.loaded.b !== b) {
    const words = new Uint32Array(memory, 0, 2 * padded);
    words.fill(0);
    words.set(a, 0);
    words.set(b, padded);
    wasm.loaded = { a, b };
  }
  new Int32Array(memory, hashesStart, hashes.length).set(hashes);
  wasm.sign(bOffset, bOffset, outOffset, hashesStart, needed);
  out.set(new Uint32Array(memory, outOffset, count));
  return true;
}
