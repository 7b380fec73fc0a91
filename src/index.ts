/**
 * opsim: deterministic simulation of Kubernetes database operators as XState models, with drivers
 * that hunt for the states they can never leave. This is the one public entry; every export is
 * named explicitly.
 */
export { assert, maybe, unreachable, AssertionError } from './sim/assert.ts';
export { LimitError, checkLimit } from './sim/limits.ts';
export { exponentialBackoffTicks } from './sim/backoff.ts';
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
  splitByKind,
  type SplitActions,
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
export { type ExploreDefaults, type Scenario, type ScenarioVariant, type SwarmOptions, type VariantName } from './sim/scenario.ts';
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
export {
  scriptedProperty,
  huntScripted,
  scriptLength,
  runScript,
  traceScript,
  scriptPolicy,
  scriptArbitrary,
  scriptStepsArbitrary,
  scriptStepArbitrary,
  optionsArbitrary,
  parseScript,
  normalizeScript,
  orderedSteps,
  formatResolvedSteps,
  formatTraceSteps,
  ScriptedViolationError,
  type Script,
  type ScriptStep,
  type ScriptBounds,
  type ResolvedStep,
  type ScriptedProperty,
  type ScriptedPropertyOptions,
  type ScriptedTarget,
  type ScriptedHuntOptions,
  type ScriptedHuntResult,
  type ScriptedRunSpec,
  type ScriptRunReport,
  type FastCheckReplay,
  type SwarmOrigin,
} from './sim/scripted.ts';
export { scriptFromSwarmRun, shrinkArbitraryFor } from './sim/scripted/from-swarm.ts';
export { huntSwarmShrink, SwarmScriptMismatchError, type SwarmShrinkOptions } from './sim/swarm-shrink.ts';
export {
  explore,
  exploreOptionsFor,
  exploreVariant,
  canonicalFingerprint,
  defaultFingerprintRules,
  hashKey,
  exploreStatesMaxDefault,
  exploreDepthMaxDefault,
  exploreFaultsMaxDefault,
  exploreRequestsMaxDefault,
  type ExploreOptions,
  type ExploreResult,
  type ExploreTarget,
  type FingerprintRules,
  type StuckKind,
  type PathClaim,
  type Interleavings,
  type ExploreHashing,
  type WorldHasher,
} from './sim/explore.ts';
export { opsimVersion } from './sim/version.ts';
export { toyLockModel, type ToyVariant, type ToyWorld, type ToyAction, type ToyOptions } from './sim/testing/toy-lock.ts';
export { toyScenario } from './sim/testing/toy-scenario.ts';
export { toyTugModel, type TugVariant, type TugWorld, type TugAction, type TugOptions } from './sim/testing/toy-tug.ts';
export { toyTugScenario } from './sim/testing/toy-tug-scenario.ts';
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
  kubeblocks09 as restoreProfileKubeblocks09,
  kubeblocks100 as restoreProfileKubeblocks100,
  kubeblocks101 as restoreProfileKubeblocks101,
  kubeblocks101NormalizeInstanceTemplates as restoreProfileKubeblocks101NormalizeInstanceTemplates,
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

// The cluster substrate (issue 3): nodes, pods, workloads, kubelet, scheduler, faults.
// Its LabelSelector, Affinity, Toleration, … are structurally the ones exported above (issue 7's).
export { Table, isTable, tableKeysChanged } from './sim/cluster/table.ts';
export {
  type StringMap,
  type Resources,
  type TaintEffect,
  type Taint,
  type ConditionStatus,
  type Condition,
  type Disk,
  type Node,
  type NodeDrain,
  type NodeSelectorTerm,
  type NodeAffinity,
  type ImagePullPolicy,
  type Container,
  type PodSpec,
  type ContainerState,
  type ContainerStatus,
  type PodPhase,
  type PodStatus,
  type OwnerReference,
  type PodKubelet,
  type PodSchedulingState,
  type Pod,
  type PersistentVolumeClaim,
  type PodManagementPolicy,
  type PodTemplate,
  type StatefulSet,
  type PodDisruptionBudget,
  type ClusterIndex,
  type ClusterTiming,
  type SchedulerProfile,
  type Cluster,
  clusterCreate,
  writePod,
  writeNode,
  nodePool,
  diskUuid,
  objectKey,
  podRef,
  recordEvent,
  podRequests,
  hostnameLabel,
  zoneLabel,
  clusterNodesMax,
  clusterPodsMax,
  clusterTimingDefaults,
  type NodeInput,
  type ClusterInput,
  selectorMatches,
  requirementMatches,
  toleratesTaint,
  firstUntoleratedTaint,
  imageNormalize,
  imageRepository,
  imagePullPolicyDefault,
  clusterCreatePod,
  clusterDeletePod,
  clusterPatchPodMetadata,
  clusterEnsurePvc,
  clusterDeletePvc,
  podCondition,
  podIsReady,
  podIsTerminating,
  withCondition,
  type DeleteOptions,
  type PodInput,
  type ContainerInput,
  scheduleEvaluate,
  clusterSchedulePod,
  podIsSchedulable,
  fitErrorMessage,
  preemptionMessage,
  termMatchesPod,
  reasonUnschedulable,
  reasonNodeAffinity,
  reasonAffinityRules,
  reasonAntiAffinityRules,
  reasonExistingAntiAffinity,
  reasonUntoleratedTaint,
  type ScheduleVerdict,
  kubeletSync,
  kubeletStart,
  kubeletReady,
  kubeletRestart,
  kubeletCanSync,
  kubeletCanStart,
  kubeletCanReady,
  kubeletCanRestart,
  nodeIsReady,
  runtimeStatusImage,
  taintEvict,
  taintEvictionDueTick,
  defaultTolerationSeconds,
  clusterCreateStatefulSet,
  clusterScaleStatefulSet,
  clusterUpdateStatefulSetTemplate,
  clusterDeleteStatefulSet,
  statefulSetPlan,
  statefulSetSync,
  revisionHash,
  statefulSetReplicasMax,
  type StatefulSetInput,
  clusterNodeDown,
  clusterNodeUp,
  clusterCordon,
  clusterUncordon,
  clusterDrain,
  clusterDrainRetry,
  clusterNodeReplace,
  clusterCreatePdb,
  clusterDeletePdb,
  clusterEvictPod,
  pdbStatus,
  evictionRefusedMessage,
  clusterRegistryPush,
  clusterRegistryRepoint,
  type PdbInput,
  clusterActions,
  clusterSystemActions,
  clusterFaultActions,
  clusterApply,
  clusterNextDueTick,
  clusterSettle,
  isClusterAction,
  clusterFaultKinds,
  type ClusterAction,
  type ClusterActionOptions,
  type ClusterFaultKind,
} from './sim/cluster/index.ts';
export {
  type OpsRequest,
  type OpsRequestSpec,
  type OpsRequestStatus,
  type OpsComponentStatus,
  type LastComponentConfiguration,
  type ComponentAtCompletion,
  lastConfigurationOf,
} from './machines/kubeblocks-opsrequest/opsrequest.objects.ts';
export {
  type OpsControllerView,
  type OpsClusterView,
  type OpsClusterComponentView,
  type OpsWrite,
  type OpsStatusPatch,
  type OpsReconcileResult,
  reconcileOpsRequest,
  validateOps,
  hscaleFromClusterPhases,
} from './machines/kubeblocks-opsrequest/opsrequest.controller.ts';
export {
  type OpsSlice,
  type OpsHostPort,
  opsSliceCreate,
  opsByName,
  opsCreate,
  opsCancel,
  opsOnClusterChanged,
  opsReconcile,
  opsNextDueTick,
  opsRequeuesDue,
  opsRequeueFire,
  opsRequestsMax,
} from './machines/kubeblocks-opsrequest/opsrequest.host.ts';
export { opsRequestProperties, succeedPodsMismatch, runningHScalesByComponent } from './machines/kubeblocks-opsrequest/opsrequest.properties.ts';

// KubeBlocks (issue 4): Cluster, Component and InstanceSet lifecycles, their controllers, the
// behaviour profiles kubeblocks@1.0.2 / kubeblocks@1.0.3, and the runtime that composes them with
// the substrate; extend it with `kubeblocksRuntime({ extensions, controllers })`.
export {
  type KubeBlocksProfile,
  type ImageMatchRule,
  type ExclusiveRoleRule,
  kubeblocks102,
  kubeblocks103beta1,
  kubeblocks103,
  kubeblocks103RoleLabelRecovery,
  kubeblocks103SkipImageCheck,
  kubeblocksProfiles,
  kubeblocksProfile,
} from './machines/kubeblocks/kubeblocks-profile.ts';
export { containerImageMatches, imageSplit, imageBaseName, type ImageParts, type ContainerImageObservation } from './machines/kubeblocks/image-match.ts';
export {
  componentPhases,
  clusterPhases,
  componentPhaseRule,
  clusterPhaseRule,
  type ComponentPhase,
  type ClusterPhase,
  type ComponentPhaseInputs,
} from './machines/kubeblocks/kubeblocks-phases.ts';
export type {
  Cluster as KubeBlocksCluster,
  ClusterComponentSpec,
  ClusterComponentStatus,
  Component as KubeBlocksComponent,
  InstanceSet,
  InstanceSetSpec,
  InstanceSetStatus,
  InstanceSetCondition,
  InstanceTemplate,
  ReplicaRole,
  SchedulingPolicy as KubeBlocksSchedulingPolicy,
  VolumeClaimTemplate,
  RunningEvidence,
} from './machines/kubeblocks/kubeblocks-objects.ts';
export {
  roleLabelKey,
  appInstanceLabelKey,
  componentNameLabelKey,
  managedByLabelKey,
  instanceSetLabelKey,
  type InstancePodView,
} from './machines/kubeblocks/instance-pod.ts';
export { instanceNamesFromTemplate, desiredInstances, alignmentPlan, instancesAligned } from './machines/kubeblocks/instance-names.ts';
export { computeInstanceSetStatus, isInstancesReady, isInstanceSetReady, podFailure, podImageMatched } from './machines/kubeblocks/instanceset-status.ts';
export { componentMachine } from './machines/kubeblocks-component/component.machine.ts';
export { clusterMachine } from './machines/kubeblocks-cluster/cluster.machine.ts';
export { instanceSetMachine } from './machines/kubeblocks-instanceset/instanceset.machine.ts';
export { type KbController, type ReconcileResult } from './machines/kubeblocks/kubeblocks-controller.ts';
export { clusterController, newCluster, postgresqlComponentDefinition, type ComponentDefinition, type ClusterCreateInput } from './machines/kubeblocks/cluster-controller.ts';
export { componentController } from './machines/kubeblocks/component-controller.ts';
export { instanceSetController } from './machines/kubeblocks/instanceset-controller.ts';
export { roleEventController, lastRoleEventVersionAnnotation } from './machines/kubeblocks/role-event.ts';
export { minimalPatroni, type EngineBehaviour, type EngineAction } from './machines/kubeblocks/engine.ts';
export {
  applyWrite,
  enqueue,
  workItem,
  withMark,
  type KubeBlocksWorld,
  type KbWrite,
  type KbTimerPayload,
} from './machines/kubeblocks/kubeblocks-world.ts';
export {
  kubeblocksRuntime,
  kubeblocksWorldCreate,
  changedPodKeys,
  type KubeBlocksRuntime,
  type KubeBlocksRuntimeConfig,
  type KubeBlocksExtension,
  type KubeBlocksAction,
  type ExtensionAction,
} from './machines/kubeblocks/kubeblocks-runtime.ts';
export { kubeblocksProperties, kubeblocksPending, componentPending } from './machines/kubeblocks/kubeblocks-properties.ts';
export { pgImageMismatchScenario, pgImageMismatchModel, type PgImageVocabulary, type PgImageMismatchOptions } from './scenarios/pg-image-mismatch/pg-image-mismatch.ts';
export { pgImageTagAliasScenario } from './scenarios/pg-image-tag-alias/pg-image-tag-alias.ts';
export { pgRoleEventReorderScenario, pgRoleEventReorderModel, type PgRoleEventReorderOptions } from './scenarios/pg-role-event-reorder/pg-role-event-reorder.ts';


// Longhorn (issue 8): volume / engine / replica lifecycles, the rules they follow, settings and
// behaviour profiles, and the rolling-upgrade model the `longhorn-node-upgrade` scenarios use.
export {
  longhornVolumeMachine,
  volumeStates,
  volumeRobustnesses,
  type VolumeState,
  type VolumeRobustness,
  type VolumeEvent,
  type VolumeContext,
} from './machines/longhorn-volume/longhorn-volume.machine.ts';
export { scheduledCondition, notReadyReason, isSalvageNeeded, healthyAndActiveCount } from './machines/longhorn-volume/longhorn-volume.rules.ts';
export { longhornEngineMachine } from './machines/longhorn-engine/longhorn-engine.machine.ts';
export { nextModeMap, completeRebuild, isRebuildInProgress } from './machines/longhorn-engine/longhorn-engine.rules.ts';
export { longhornReplicaMachine } from './machines/longhorn-replica/longhorn-replica.machine.ts';
export {
  replicaCreateInstanceError,
  canStartRebuildingReplica,
  isReplicaReusable,
  isRebuildingReplica,
  markReplicaFailed,
  markReplicaHealthy,
} from './machines/longhorn-replica/longhorn-replica.rules.ts';
export {
  createInstanceMachine,
  deriveInstanceState,
  type InstanceState,
  type InstanceEvent,
  type ImObservation,
  type ProcessObservation,
} from './machines/longhorn/instance.machine.ts';
export {
  longhornSettingsDefaults,
  longhornProfiles,
  longhornProfile,
  parseLonghornSettings,
  nodeDrainPolicies,
  type LonghornSettings,
  type LonghornProfile,
  type NodeDrainPolicy,
} from './machines/longhorn/settings.ts';
export { scheduleReplica, type SchedulingResult } from './machines/longhorn/replica-scheduler.ts';
export { createLonghornUpgradeModel, type LonghornUpgradeOptions, type LonghornUpgradeModelConfig } from './machines/longhorn/model.ts';
export { initLonghornWorld, type LonghornWorldShape } from './machines/longhorn/init.ts';
export { longhornProperties, poolCanHold, dataSurvives } from './machines/longhorn/properties.ts';
export type { LonghornAction } from './machines/longhorn/steps.ts';
export type { LonghornWorld, Volume as LonghornVolume, Replica as LonghornReplica, Engine as LonghornEngine } from './machines/longhorn/world.ts';


// Patroni (issue 6): the DCS and its leader lock, a member's PostgreSQL machine, HA-loop decisions,
// promotion eligibility, switchover/failover through the REST API and patronictl.
export {
  type Dcs,
  type LeaderLock,
  type FailoverKey,
  type SyncKey,
  type MemberRecord,
  type TimelineSwitch,
  dcsCreate,
  dcsLeader,
  dcsAcquire,
  dcsRenew,
  dcsRelease,
  dcsTimeline,
  lockExpired,
} from './machines/patroni-dcs/dcs.ts';
export { type PatroniConfig, patroniDefaults, adjustTimeouts, satisfiesTimingRule } from './machines/patroni-member/patroni-config.ts';
export {
  patroniMemberMachine,
  type PostgresqlState,
  type PostgresqlRole,
  type PatroniMemberContext,
} from './machines/patroni-member/patroni-member.machine.ts';
export { type PatroniMemberEvent, pgEvents } from './machines/patroni-member/patroni-member.events.ts';
export { haDecide, hasDiverged, type HaDecision, type HaInput, type HaSelf } from './machines/patroni-member/ha-loop.ts';
export { isHealthiestNode, isFailoverPossibleAmong, isLagging, failoverLimitation, type Verdict } from './machines/patroni-member/eligibility.ts';
export {
  restPostFailover,
  restPollFailover,
  restFailoverPrecondition,
  ctlFailoverStart,
  ctlPrintReply,
  type FailoverRequest,
  type RestReply,
  type ExecResult,
} from './machines/patroni-member/rest-api.ts';
export {
  type PatroniCluster,
  type PatroniMember,
  patroniClusterCreate,
  patroniMemberCreate,
  acceptsWrites,
  believesLeader,
  promotionAudit,
} from './machines/patroni-member/patroni-cluster.ts';
export { patroniHaCycle } from './machines/patroni-member/ha-perform.ts';
export { patroniAdvanceWal } from './machines/patroni-member/wal.ts';

// Crunchy PGO (issue 6): the PostgresCluster, its reconcile as an ordered list of named steps, and
// behaviour profiles (upstream `pgo@5.7` and two documented proposals). Replace or move a step with
// profileReplaceStep / profileMoveStepBefore to ask "what if".
export {
  type PostgresCluster,
  type PgoView,
  triggerSwitchoverAnnotation,
  switchoverPending,
} from './machines/pgo-postgrescluster/postgrescluster.ts';
export {
  type PgoProfile,
  type ReconcileStep,
  type ReconcileOutcome,
  type StepInput,
  type StepOutput,
  pgoReconcile,
  pgoResume,
  profileReplaceStep,
  profileMoveStepBefore,
  profileStepNames,
} from './machines/pgo-postgrescluster/reconcile.ts';
export { observeInstances, reconcilePatroniStatus, reconcilePatroniSwitchover, reconcileInstanceSets } from './machines/pgo-postgrescluster/steps.ts';
export {
  pgo57,
  pgo57InstancesBeforeSwitchover,
  pgo57SwitchoverErrorDeferred,
  pgoProfiles,
  pgoProfileByName,
} from './machines/pgo-postgrescluster/profiles.ts';
export { pgoReplicaDeleted, pgoReplicaDeletedModel, type PgoWorld, type PgoScenarioOptions } from './scenarios/pgo-replica-deleted/index.ts';
export { pgoSwitchoverTargetLeader } from './scenarios/pgo-switchover-target-leader/index.ts';
export {
  type KafkaOptions,
  type KafkaExt,
  type KafkaWorld,
  kafkaOfflineOnlineModel,
  kafkaOfflineOnlineScenario,
  kafkaSwarm,
  kafkaBrokerDefinition,
} from './scenarios/kafka-offline-online/kafka-offline-online.ts';
export {
  type OpsExt,
  type OpsWorld,
  type OpsAction,
  type OpsRequestVocabulary,
  opsPort,
  opsRequestExtension,
} from './scenarios/kafka-offline-online/opsrequest-extension.ts';
export { type UserRequest, type RequestContext, hscaleChoices, userRequests } from './scenarios/kafka-offline-online/requests.ts';
export { kafkaOfflineGapScenario } from './scenarios/kafka-offline-gap/kafka-offline-gap.ts';
export { onlineInstancesExistProperty, succeedWithoutOnlineInstances } from './machines/kubeblocks-opsrequest/opsrequest.properties.ts';
// KubeBlocks backup / restore (issue 7): lifecycles, oracle, extension, scenarios.
export { type BackupMachinePhase, type RestoreMachinePhase, backupMachine, restoreMachine } from './machines/kubeblocks-restore/dataprotection.machine.ts';
export {
  type PendingPodVerdict,
  type ForeignSelector,
  classifyPendingPod,
  foreignSelectors,
  podWithIntendedAffinity,
  requiredRuleBreach,
} from './machines/kubeblocks-restore/scheduling-oracle.ts';
export {
  type BackupObject,
  type RestoreOpsObject,
  type RestoreCr,
  type RestoreJob,
  type RestoreState,
  type RestoreTiming,
  type RestoreWorld,
  restoreStateCreate,
} from './machines/kubeblocks-restore/restore-objects.ts';
export {
  type RestoreConfig,
  restoreGatedComponentController,
  prepareDataPlan,
  needWaitingMessage,
} from './machines/kubeblocks-restore/restore-controllers.ts';
export {
  type RestoreOpsInput,
  restoreExtension,
  restoreRuntimeControllers,
  restoreCreateBackup,
  restoreCreateOps,
  restoreDeleteCluster,
} from './machines/kubeblocks-restore/restore-extension.ts';
export { type PendingPod, pendingPods, clusterLacksNodes, restorePending, restoreProperties } from './machines/kubeblocks-restore/restore.properties.ts';
export {
  type RestoreAntiAffinityOptions,
  type TermPlacement,
  restoreModel,
  restoreOptionsDefaults,
  addonSchedulingPolicy,
  mysqlComponentDefinition,
} from './scenarios/restore-anti-affinity/restore-world.ts';
export { restoreAntiAffinityScenario } from './scenarios/restore-anti-affinity/restore-anti-affinity.ts';
export { restoreInstanceTemplateAntiAffinityScenario } from './scenarios/restore-instance-template-anti-affinity/restore-instance-template-anti-affinity.ts';
