// The pool of equal-size blocks cut from one network, handed out lowest-free-first — what the
// DC/OS overlay master does with each overlay's /prefix blocks (an agent gets the lowest free
// block) and with the VTEP subnet's addresses.
//
// Blocks are numbered 0, 1, 2… from the network's start. The pool remembers only a high-water mark
// (every index below it has been handed out at some point) and a min-heap of the indices below it
// that were released. The lowest free block is the heap's minimum if there is one, else the
// high-water mark. Memory is proportional to what was allocated, never to the size of the space,
// so an IPv6 /64 cut into /80s costs the same as a /8 cut into /24s.
import { BITS, Cidr } from "../ip/cidr";

export class NoFreeBlocksError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoFreeBlocksError";
  }
}

export class BlockPool {
  /** Number of blocks in the network. */
  readonly capacity: number;
  readonly blockSize: bigint;
  private highWater = 0;
  private readonly freed = new MinHeap();

  constructor(
    readonly base: Cidr,
    readonly blockPrefix: number,
    /** Message of the error raised when the pool is exhausted. */
    private readonly exhaustedMessage = `No free blocks left in ${base.start}/${base.prefix}`,
  ) {
    if (blockPrefix < base.prefix || blockPrefix > BITS[base.family]) {
      throw new RangeError(`block prefix /${blockPrefix} does not fit a /${base.prefix}`);
    }
    const bits = blockPrefix - base.prefix;
    if (bits > 52) throw new RangeError(`2^${bits} blocks are more than this pool can number`);
    this.capacity = 2 ** bits;
    this.blockSize = 1n << BigInt(BITS[base.family] - blockPrefix);
  }

  /** Blocks currently handed out. */
  get used(): number {
    return this.highWater - this.freed.size;
  }

  get free(): number {
    return this.capacity - this.used;
  }

  /** Takes the lowest free block. */
  allocate(): number {
    if (this.freed.size > 0) return this.freed.pop();
    if (this.highWater >= this.capacity) throw new NoFreeBlocksError(this.exhaustedMessage);
    return this.highWater++;
  }

  /**
   * Marks a block as taken when restoring a pool from state. Indices must come in ascending
   * order (use `BlockPool.restore`), so restoring never searches the heap.
   */
  private takeAscending(index: number): void {
    if (!Number.isInteger(index) || index < this.highWater || index >= this.capacity) {
      throw new RangeError(`block ${index} is out of range or taken twice`);
    }
    while (this.highWater < index) this.freed.push(this.highWater++);
    this.highWater = index + 1;
  }

  /** Gives a block back; it becomes the lowest free block if it is below the others. */
  release(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.highWater) {
      throw new RangeError(`block ${index} was never allocated`);
    }
    this.freed.push(index);
  }

  /** First address of block `index`. */
  blockStart(index: number): bigint {
    return this.base.start + BigInt(index) * this.blockSize;
  }

  /** Index of the block starting at `start`, or undefined if `start` is not a block boundary here. */
  indexOf(start: bigint): number | undefined {
    const offset = start - this.base.start;
    if (offset < 0n || offset % this.blockSize !== 0n) return undefined;
    const index = offset / this.blockSize;
    return index < BigInt(this.capacity) ? Number(index) : undefined;
  }

  /** A pool with the given blocks already taken (e.g. the allocations kept in Pulumi state). */
  static restore(base: Cidr, blockPrefix: number, taken: Iterable<number>, exhaustedMessage?: string): BlockPool {
    const pool = new BlockPool(base, blockPrefix, exhaustedMessage);
    for (const index of [...taken].sort((a, b) => a - b)) pool.takeAscending(index);
    return pool;
  }
}

/** Binary min-heap of block indices. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= value) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = value;
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= a.length) break;
        const child = left + 1 < a.length && a[left + 1] < a[left] ? left + 1 : left;
        if (a[child] >= last) break;
        a[i] = a[child];
        i = child;
      }
      a[i] = last;
    }
    return top;
  }
}
