/**
 * opsim: deterministic simulation of Kubernetes database operators as XState models, with drivers
 * that hunt for the states they can never leave. This is the one public entry; every export is
 * named explicitly.
 */
export { assert, maybe, unreachable, AssertionError } from './sim/assert.ts';
export { LimitError, checkLimit } from './sim/limits.ts';
export { Prng, ratio, hash32, type Ratio, type PrngState } from './sim/prng.ts';
export { type Tick, TICKS_PER_SECOND, secondsToTicks } from './sim/ticks.ts';
export {
  type Clock,
  type Timer,
  clockCreate,
  clockSchedule,
  clockCancel,
  clockHas,
  clockFirstDue,
  clockDue,
  clockFire,
  clockNextDueTick,
  clockAdvance,
  timersPendingMax,
} from './sim/clock.ts';
export {
  type Model,
  type ModelOptions,
  type SimAction,
  type TimeAction,
  type ActionKind,
  type ObservedObject,
  type Observation,
  type ControllerError,
  OptionsError,
  isEnvironmentAction,
  timeAction,
} from './sim/model.ts';
export {
  type Property,
  type PropertyKind,
  type Explanation,
  type Subject,
  type SubjectSince,
  always,
  eventually,
  sometimes,
} from './sim/property.ts';
export { type Scenario, type ScenarioVariant, type SwarmOptions, type VariantName } from './sim/scenario.ts';
export { type KubeEvent, type KubeEventInput, type KubeEventType, eventsRecord, eventsAbout, eventsLogLengthMax } from './sim/events.ts';
export {
  type MachineState,
  type MachineStep,
  type HostEffect,
  machineInit,
  machineStep,
  machineMatches,
  stateValueText,
} from './sim/machine-host.ts';
export {
  type Trace,
  type TraceStep,
  type TraceDriver,
  type PhaseChange,
  type EventNote,
  type Violation,
  type ViolationKind,
  type RunOutcome,
  type RunEnd,
  TraceRecorder,
  serializeTrace,
  traceFormat,
  traceFormatVersion,
  traceStepsMax,
} from './sim/trace.ts';
export { runModel, type RunPolicy, type RunConfig, type RunReport, type ChooseContext, type RunPhase } from './sim/run.ts';
export { buildViolation, explanationText } from './sim/explain.ts';
export {
  hunt,
  runSwarm,
  traceSwarm,
  swarmPolicy,
  swarmOptionsFor,
  type HuntOptions,
  type HuntResult,
  type SwarmRunSpec,
} from './sim/swarm.ts';
export { parseTrace, replayTrace, registerReplayer, TraceError, type ReplayResult, type Replayer } from './sim/replay.ts';
export { opsimVersion } from './sim/version.ts';
export { toyLockModel, type ToyVariant, type ToyWorld, type ToyAction, type ToyOptions } from './sim/testing/toy-lock.ts';
export { toyScenario } from './sim/testing/toy-scenario.ts';
export { scenarios, scenarioByName } from './scenarios/registry.ts';

// --- KubeBlocks backup / restore and scheduling policies (issue 7) ---
export {
  type LabelSelector,
  type LabelSelectorRequirement,
  type PodAffinityTerm,
  type WeightedPodAffinityTerm,
  type PodAffinityRules,
  type Affinity,
  type Toleration,
  type TopologySpreadConstraint,
  type SchedulingPolicy,
  type PodScheduling,
} from './machines/kubeblocks-restore/scheduling-types.ts';
export {
  type ClusterScheduling,
  type ComponentScheduling,
  type InstanceTemplateScheduling,
  type DataPlaneScheduling,
  buildSchedulingPolicy,
  mergeAffinity,
  applySchedulingPolicyToPod,
  componentPodScheduling,
  instancePodScheduling,
  restoreJobScheduling,
  componentPodLabels,
  restoreJobPodLabels,
} from './machines/kubeblocks-restore/scheduling-policy.ts';
export {
  type Backup,
  type BackupPhase,
  type ClusterObjectForRestore,
  type ClusterSpecForRestore,
  type ComponentSpecForRestore,
  type RestoreAnnotationOptions,
  annotationClusterSnapshot,
  annotationRestoreFromBackup,
  clusterSnapshotString,
  backupWithClusterSnapshot,
  restoreFromBackupAnnotation,
  restoreSourceOf,
} from './machines/kubeblocks-restore/cluster-snapshot.ts';
export {
  type RestoreProfile,
  kubeblocks09,
  kubeblocks100,
  kubeblocks101,
  kubeblocks101NormalizeInstanceTemplates,
  restoreProfiles,
} from './machines/kubeblocks-restore/restore-profile.ts';
export {
  type RestoreTarget,
  RestoreBuildError,
  clusterFromBackup,
  normalizeSchedulePolicy,
  normalizeLabelSelector,
} from './machines/kubeblocks-restore/snapshot-sanitize.ts';
export {
  type RestoreOpsPhase,
  type RestoreReconcileVerdict,
  isRestoreOpsTerminal,
  restoreActionPrecheck,
  restoreReconcileAction,
} from './machines/kubeblocks-restore/restore-ops-rules.ts';
export {
  type OpsProfile,
  type OpsBehaviourFlags,
  kubeblocks100 as opsProfileKubeblocks100,
  kubeblocks101 as opsProfileKubeblocks101,
  opsProfiles,
  opsProfileByName,
} from './machines/kubeblocks-opsrequest/profile.ts';
export {
  type HorizontalScaling,
  type ScaleIn,
  type ScaleOut,
  type ComponentShape as HScaleComponentShape,
  type PodSets,
  podNamesOf,
  ordinalOf,
  validateHorizontalScaling,
  actionFatalError,
  expectedComponentValues,
  expectedOfflineInstances,
  scaleInReplicaChanges,
  scaleOutReplicaChanges,
  createdAndDeletedPodSets,
} from './machines/kubeblocks-opsrequest/hscale.ts';
export {
  type OpsPhase,
  type OpsCondition,
  type OpsRequestContext,
  type OpsRequestInput,
  opsPhases,
  opsTerminalPhases,
  isOpsTerminal,
  isOpsTypeCancellable,
  opsRequestMachine,
  opsRequestEventTable,
  abortedByTimeoutMessage,
} from './machines/kubeblocks-opsrequest/opsrequest.machine.ts';
export { type OpsRequestEvent, type OpsType, opsRequestEventTypes } from './machines/kubeblocks-opsrequest/opsrequest.events.ts';
export {
  type OpsRecorder,
  type OpsQueueBehaviour,
  type EnqueueResult,
  type DequeueResult,
  opsRequestQueueLimitSize,
  queueBehaviourOf,
  enqueueOps,
  dequeueOps,
  existOtherRunningOps,
  needsClusterPhaseCheck,
  cancelledByControllerMessage,
} from './machines/kubeblocks-opsrequest/queue.ts';
export {
  type ProgressStatus,
  type ProgressDetail,
  type InstanceSetProgressView,
  type ComponentProgress,
  type ProgressOutcome,
  scalingReplicasProgress,
  componentCompleted,
  opsOutcome,
  progressText,
} from './machines/kubeblocks-opsrequest/progress.ts';
