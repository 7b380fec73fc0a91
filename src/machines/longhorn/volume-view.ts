/** Reading a volume's machine snapshot: `status.state` and `status.robustness`. */
import type { VolumeRobustness, VolumeState } from '../longhorn-volume/longhorn-volume.machine.ts';
import type { Volume } from './world.ts';

interface VolumeValue {
  readonly state: VolumeState;
  readonly robustness: VolumeRobustness;
}

export function volumeStateOf(volume: Volume): VolumeState {
  return (volume.machine.value as unknown as VolumeValue).state;
}

export function volumeRobustnessOf(volume: Volume): VolumeRobustness {
  return (volume.machine.value as unknown as VolumeValue).robustness;
}
