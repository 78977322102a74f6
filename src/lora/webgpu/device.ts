/**
 * Device and buffer plumbing of the WebGPU LoRA backend: opening a device, float32 storage buffers, recorded sequences
 * of kernel dispatches (`Program`) and running them with one read-back. A lost device (driver reset, tab in the
 * background too long, `device.destroy()`) surfaces as `GpuLostError` from the next `run`, so that training can go
 * on from its last checkpoint on the CPU backend.
 */
import { GpuLostError, InvalidInputError } from '../../errors.js';
import type { Vec } from '../types.js';
import { KERNELS, type KernelName } from './shaders.js';

/** Bytes between consecutive dispatches' parameters in a program's uniform buffer (WebGPU's offset alignment). */
const SLOT = 256;
/** Bytes of one dispatch's parameters: up to 16 four-byte fields. */
const PARAMS = 64;

/** A region of a buffer to copy back after a run, as float32 values. */
export interface Readback {
  buffer: GPUBuffer;
  floats: number;
}

/**
 * One GPU device with the LoRA kernels compiled on it.
 * @example const gpu = await LoraGpu.open(); … const [out] = await gpu.run([program], [{ buffer, floats: T * H }]);
 */
export class LoraGpu {
  /** Why the device was lost, once it has been. */
  lost: string | null = null;
  private readonly pipelines = new Map<KernelName, GPUComputePipeline>();
  private staging: GPUBuffer | null = null;
  /** Every buffer made through `buffer` or `track` and not yet freed: `destroy` frees what is left. */
  private readonly live = new Set<GPUBuffer>();

  private constructor(readonly device: GPUDevice, private readonly owned: boolean) {
    void device.lost.then((info) => {
      this.lost = info.message ? `${info.reason} (${info.message})` : info.reason;
    });
  }

  /**
   * Opens the default adapter's device, or wraps `device` (a page that already holds one, or a test that will
   * destroy it). Throws InvalidInputError where there is no WebGPU.
   */
  static async open(device?: GPUDevice): Promise<LoraGpu> {
    if (device) return new LoraGpu(device, false);
    const gpu = typeof navigator === 'undefined' ? undefined : navigator.gpu;
    if (!gpu) throw new InvalidInputError("backend 'webgpu' needs WebGPU (navigator.gpu), which this environment lacks; use backend 'cpu'");
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new InvalidInputError("backend 'webgpu': no WebGPU adapter is available here; use backend 'cpu'");
    const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
    return new LoraGpu(await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxBufferSize } }), true);
  }

  /** Throws GpuLostError once the device is gone. */
  check(): void {
    if (this.lost !== null) throw new GpuLostError(this.lost);
  }

  pipeline(name: KernelName): GPUComputePipeline {
    let p = this.pipelines.get(name);
    if (!p) {
      const module = this.device.createShaderModule({ label: `lora/${name}`, code: KERNELS[name].code });
      p = this.device.createComputePipeline({ label: `lora/${name}`, layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(name, p);
    }
    return p;
  }

  /** A float32 storage buffer of `floats` values (zeros, or `data`). */
  buffer(floats: number, data?: Vec): GPUBuffer {
    const b = this.device.createBuffer({
      size: Math.max(4, floats * 4),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    if (data) this.write(b, data);
    return this.track(b);
  }

  /** Registers a buffer to free with the device. */
  track(buffer: GPUBuffer): GPUBuffer {
    this.live.add(buffer);
    return buffer;
  }

  free(buffer: GPUBuffer | null | undefined): void {
    if (!buffer) return;
    this.live.delete(buffer);
    buffer.destroy();
  }

  /** Queues a write of `data` (converted to float32) at the start of `buffer`. */
  write(buffer: GPUBuffer, data: Vec | null, floats = data?.length ?? 0): void {
    if (floats === 0) return;
    const f = data === null ? new Float32Array(floats) : data instanceof Float32Array ? data.subarray(0, floats) : Float32Array.from(data.subarray(0, floats));
    this.device.queue.writeBuffer(buffer, 0, f.buffer, f.byteOffset, f.byteLength);
  }

  /** Runs the programs in order in one compute pass, then copies `reads` back: one submit, one map. */
  async run(programs: Program[], reads: Readback[]): Promise<Float32Array[]> {
    this.check();
    const total = reads.reduce((s, r) => s + r.floats, 0);
    const device = this.device;
    device.pushErrorScope('validation');
    if (!this.staging || this.staging.size < total * 4) {
      this.staging?.destroy();
      this.staging = device.createBuffer({ size: Math.max(4, total * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    }
    const staging = this.staging;
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (const p of programs) p.encode(pass);
    pass.end();
    let offset = 0;
    for (const r of reads) {
      encoder.copyBufferToBuffer(r.buffer, 0, staging, offset * 4, r.floats * 4);
      offset += r.floats;
    }
    device.queue.submit([encoder.finish()]);
    const validation = device.popErrorScope().catch(() => null);
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, total * 4);
    } catch (e) {
      throw new GpuLostError(this.lost ?? (e as Error).message);
    }
    const all = new Float32Array(staging.getMappedRange(0, total * 4).slice(0));
    staging.unmap();
    const error = await validation;
    this.check();
    if (error) throw new Error(`WebGPU rejected a LoRA kernel: ${error.message}`);
    offset = 0;
    return reads.map((r) => all.subarray(offset, (offset += r.floats)));
  }

  /** Frees every buffer made here, and the device when this object opened it. */
  destroy(): void {
    for (const b of [...this.live]) this.free(b);
    this.staging?.destroy();
    this.staging = null;
    if (this.owned) this.device.destroy();
  }
}

interface Dispatch {
  kernel: KernelName;
  buffers: GPUBuffer[];
  groups: [number, number];
}

/**
 * A fixed sequence of kernel dispatches over fixed buffers (say, one layer's forward pass at T tokens), recorded once
 * and encoded on every run. Each dispatch's sizes live in their own 256-byte slot of one uniform buffer.
 * @example const p = new Program(gpu); p.dispatch('add', [n, 0], [], [x, y], n); await gpu.run([p], [...]);
 */
export class Program {
  private readonly steps: Dispatch[] = [];
  private words: number[][] = [];
  private uniforms: GPUBuffer | null = null;
  private groups: GPUBindGroup[] | null = null;

  constructor(private readonly gpu: LoraGpu) {}

  /**
   * Adds one dispatch: the kernel's integer parameters, then its float ones (its WGSL struct's field order), its
   * storage buffers (bindings 1, 2, …) and the threads it needs along x (and y).
   */
  dispatch(kernel: KernelName, ints: number[], floats: number[], buffers: GPUBuffer[], threadsX: number, threadsY = 1): void {
    const [sx, sy] = KERNELS[kernel].size;
    const f32 = new Float32Array(floats);
    this.words.push([...ints, ...new Uint32Array(f32.buffer)]);
    this.steps.push({ kernel, buffers, groups: [Math.ceil(threadsX / sx), Math.ceil(threadsY / sy)] });
  }

  encode(pass: GPUComputePassEncoder): void {
    const groups = this.groups ?? this.build();
    this.steps.forEach((s, i) => {
      pass.setPipeline(this.gpu.pipeline(s.kernel));
      pass.setBindGroup(0, groups[i]);
      pass.dispatchWorkgroups(s.groups[0], s.groups[1]);
    });
  }

  destroy(): void {
    this.gpu.free(this.uniforms);
  }

  private build(): GPUBindGroup[] {
    const device = this.gpu.device;
    const data = new Uint32Array((this.steps.length * SLOT) / 4);
    this.words.forEach((w, i) => data.set(w, (i * SLOT) / 4));
    const uniforms = this.gpu.track(device.createBuffer({ size: Math.max(SLOT, data.byteLength), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }));
    device.queue.writeBuffer(uniforms, 0, data);
    this.uniforms = uniforms;
    this.groups = this.steps.map((s, i) =>
      device.createBindGroup({
        layout: this.gpu.pipeline(s.kernel).getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: uniforms, offset: i * SLOT, size: PARAMS } },
          ...s.buffers.map((buffer, b) => ({ binding: b + 1, resource: { buffer } })),
        ],
      }),
    );
    this.words = [];
    return this.groups;
  }
}
