/**
 * The Longhorn engine instance: the shared instance lifecycle (controller/instance_handler.go)
 * under the id `longhorn-engine`. The engine's replica mode map and rebuild rules live in
 * `longhorn-engine.rules.ts`.
 */
import { createInstanceMachine } from '../longhorn/instance.machine.ts';

export const longhornEngineMachine = createInstanceMachine('longhorn-engine');
