/**
 * The Longhorn replica instance: the shared instance lifecycle (controller/instance_handler.go)
 * under the id `longhorn-replica`. The replica-specific rules (CreateInstance preconditions,
 * rebuild slots, failure marking) live in `longhorn-replica.rules.ts`.
 */
import { createInstanceMachine } from '../longhorn/instance.machine.ts';

export const longhornReplicaMachine = createInstanceMachine('longhorn-replica');
