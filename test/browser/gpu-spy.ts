/** Test-only: records every GPUDevice created in this worker, so a test can destroy them (a simulated device loss). */
export const devices: GPUDevice[] = [];

if (typeof GPUAdapter !== 'undefined') {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
    const device = await requestDevice.call(this, descriptor);
    devices.push(device);
    return device;
  };
}
