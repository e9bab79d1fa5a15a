import { randomFillSync } from 'node:crypto';

// Random bytes are drawn from a pool refilled 64 KB at a time: one getrandom call per key was a
// measurable share of the assessment write path (a system call per id, costly in a VM).
const pool = Buffer.allocUnsafe(65_536);
let poolOffset = pool.length;

/** `size` cryptographically random bytes (a view into the pool: copy if it must outlive the next call). */
export function randomView(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const view = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return view;
}

let lastMs = 0;
let counter = 0;

/**
 * UUID version 7 (RFC 9562): a millisecond timestamp, then a 12-bit counter (method 1) so that ids
 * made in the same millisecond by this process still sort in creation order. Used for append-only
 * rows (the audit log) whose id order must follow their write order.
 */
export function uuidv7(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = randomView(2).readUInt16BE() & 0x1ff; // start low so the counter rarely overflows
  } else {
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1; // borrow the next millisecond rather than break ordering
      counter = 0;
    }
  }
  const bytes = Buffer.from(randomView(16));
  const ms = lastMs;
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((counter >>> 8) & 0x0f);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
