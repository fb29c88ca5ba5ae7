package ddpm.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

class DeviceChoiceTest {
  @Test
  void theFlagTakesCpuGpuOrAutoAndNamesItselfOtherwise() {
    assertSame(DeviceChoice.GPU, DeviceChoice.parse("gpu", "--device"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("cuda", "--device"));
    assertEquals("--device must be one of cpu, gpu, auto, got \"cuda\"", e.getMessage());
  }

  @Test
  void cpuIsTheCpuAndGpuFailsWhereAutoFindsNoGpu() {
    assertSame(ComputeDevice.CPU, DeviceChoice.CPU.select("--device"));
    ComputeDevice auto = DeviceChoice.AUTO.select("--device");
    if (auto == ComputeDevice.GPU) {
      assertSame(ComputeDevice.GPU, DeviceChoice.GPU.select("--device"));
      return;
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.GPU.select("--device"));
    assertEquals("--device gpu: TensorFlow sees no GPU here (CPU-only natives, or no NVIDIA GPU and driver on this"
        + " machine); use --device cpu, or the GPU build (mvn -Pgpu) on a GPU machine", e.getMessage());
  }

  @Test
  void theCpuSessionHidesEveryGpuAndTheGpuSessionUsesTheFirst() {
    ConfigProto cpu = ComputeDevice.CPU.sessionConfig(Precision.FP32);
    assertEquals(0, cpu.getDeviceCountOrThrow("GPU"));
    ConfigProto gpu = ComputeDevice.GPU.sessionConfig(Precision.FP32);
    assertEquals("0", gpu.getGpuOptions().getVisibleDeviceList());
    assertTrue(gpu.getAllowSoftPlacement());
    assertEquals("gpu:0", ComputeDevice.GPU.label());
  }
}
