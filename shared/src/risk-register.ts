import { z } from 'zod';
import { PageQuery, SortDirection } from './api.ts';
import { TenantId } from './tenants.ts';
import { BoundedInstant, NoteText, PlainText } from './text.ts';
import { ATTACHMENT_TYPES, AttachmentFileName, AttachmentType, MAX_ATTACHMENT_BYTES } from './cases.ts';
import { RiskMatrixDefinition } from './risk-matrix.ts';
import { CalendarDate, RiskAcceptance, Treatment } from './risk-treatments.ts';

export * from './risk-matrix.ts';
export * from './risk-treatments.ts';

/**
 * The risk register (issue 13 "The register"): risks scored on the risk matrix, controls and
 * their tests, treatment plans and risk acceptances. Residual scores are derived by the service
 * from the linked controls' effectiveness (service/src/risks/residual.ts), never typed in.
 */

/** Seed 000's integration points, plus the risks a board reads about that no system feeds. */
export const RiskCategory = z.enum(['CREDIT', 'OPERATIONAL', 'COMPLIANCE', 'LIQUIDITY', 'MARKET', 'FRAUD', 'STRATEGIC', 'REPUTATIONAL']);
export type RiskCategory = z.infer<typeof RiskCategory>;

export const RiskStatus = z.enum(['IDENTIFIED', 'ASSESSED', 'TREATED', 'MONITORED', 'CLOSED']);
export type RiskStatus = z.infer<typeof RiskStatus>;

/**
 * The risk status machine. ASSESSED is reached by recording an assessment (or by reopening a risk
 * that has one); TREATED needs a treatment plan or an approved acceptance; a closed risk reopens.
 */
export const RISK_STATUS_TRANSITIONS: Record<RiskStatus, readonly RiskStatus[]> = {
  IDENTIFIED: ['ASSESSED', 'CLOSED'],
  ASSESSED: ['TREATED', 'MONITORED', 'CLOSED'],
  TREATED: ['ASSESSED', 'MONITORED', 'CLOSED'],
  MONITORED: ['ASSESSED', 'TREATED', 'CLOSED'],
  CLOSED: ['IDENTIFIED', 'ASSESSED'],
};

export const ControlType = z.enum(['PREVENTIVE', 'DETECTIVE', 'CORRECTIVE']);
export type ControlType = z.infer<typeof ControlType>;
export const ControlFrequency = z.enum(['DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'SEMI_ANNUAL', 'ANNUAL']);
export type ControlFrequency = z.infer<typeof ControlFrequency>;
/** Days between two tests of a control of that frequency (the default next test date). */
export const CONTROL_FREQUENCY_DAYS: Record<ControlFrequency, number> = {
  DAILY: 1,
  WEEKLY: 7,
  MONTHLY: 30,
  QUARTERLY: 91,
  SEMI_ANNUAL: 182,
  ANNUAL: 365,
};
export const ControlEffectiveness = z.enum(['EFFECTIVE', 'PARTIALLY_EFFECTIVE', 'INEFFECTIVE', 'NOT_TESTED']);
export type ControlEffectiveness = z.infer<typeof ControlEffectiveness>;
export const ControlTestResult = z.enum(['PASS', 'PARTIAL', 'FAIL']);
export type ControlTestResult = z.infer<typeof ControlTestResult>;
/** A control's effectiveness follows its latest test. */
export const EFFECTIVENESS_OF_RESULT: Record<ControlTestResult, ControlEffectiveness> = {
  PASS: 'EFFECTIVE',
  PARTIAL: 'PARTIALLY_EFFECTIVE',
  FAIL: 'INEFFECTIVE',
};

/** Which score a heat map or a cell filter reads. */
export const ScoreBasis = z.enum(['inherent', 'current', 'residual']);
export type ScoreBasis = z.infer<typeof ScoreBasis>;

const Version = z.number().int().positive();
const ExpectedVersionQuery = z.object({ expectedVersion: z.coerce.number().int().positive() });
const Title = PlainText(200).pipe(z.string().min(3, 'at least 3 characters'));
const Description = NoteText(4000);
const Step = z.number().int().min(1).max(10);

// ---------------------------------------------------------------------------------------------
// Scores

/** A level as shown: its key in the matrix it was scored on, name and colour. */
export const RiskLevelView = z.object({ key: z.string(), name: z.string(), colour: z.string(), reviewDays: z.number().int() });
export type RiskLevelView = z.infer<typeof RiskLevelView>;

/** A likelihood × impact position on a matrix, its score (the product) and the level of its cell. */
export const RiskScore = z.object({
  likelihood: z.number().int(),
  impact: z.number().int(),
  score: z.number().int(),
  level: RiskLevelView,
});
export type RiskScore = z.infer<typeof RiskScore>;

/** One linked control's part in the residual score. */
export const ResidualControlEffect = z.object({
  controlId: z.uuid(),
  reference: z.string(),
  name: z.string(),
  type: ControlType,
  effectiveness: ControlEffectiveness,
  /** Preventive controls lower likelihood; detective and corrective ones lower impact. */
  axis: z.enum(['LIKELIHOOD', 'IMPACT']),
  /** EFFECTIVE 1, PARTIALLY_EFFECTIVE 0.5, INEFFECTIVE and NOT_TESTED 0. */
  credit: z.number(),
});
export type ResidualControlEffect = z.infer<typeof ResidualControlEffect>;

export const ResidualExplanation = z.object({
  inherentLikelihood: z.number().int(),
  inherentImpact: z.number().int(),
  /** Sum of the credits per axis, rounded down, is the number of steps taken off (never below 1). */
  likelihoodSteps: z.number().int(),
  impactSteps: z.number().int(),
  controls: z.array(ResidualControlEffect),
  /** One sentence per line, e.g. "CTL-0001 Dual authorisation (PREVENTIVE, INEFFECTIVE): no reduction". */
  lines: z.array(z.string()),
});
export type ResidualExplanation = z.infer<typeof ResidualExplanation>;

// ---------------------------------------------------------------------------------------------
// Risks

export const Risk = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  category: RiskCategory,
  businessUnit: z.string(),
  ownerId: z.uuid(),
  ownerName: z.string(),
  causes: z.string(),
  consequences: z.string(),
  status: RiskStatus,
  /** Null until the first assessment. */
  inherent: RiskScore.nullable(),
  current: RiskScore.nullable(),
  residual: RiskScore.nullable(),
  residualExplanation: ResidualExplanation.nullable(),
  matrixVersionId: z.uuid().nullable(),
  matrixVersionNumber: z.number().int().nullable(),
  lastAssessedAt: z.iso.datetime().nullable(),
  /** Last assessment + the review days of the residual level; null until assessed and once closed. */
  nextReviewAt: z.iso.datetime().nullable(),
  reviewOverdue: z.boolean(),
  controlCount: z.number().int(),
  /** Where the status machine lets the risk go from here. */
  allowedTransitions: z.array(RiskStatus),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedBy: z.string(),
  updatedAt: z.iso.datetime(),
  version: Version,
});
export type Risk = z.infer<typeof Risk>;

const RiskFields = {
  title: Title,
  description: Description.default(''),
  category: RiskCategory,
  businessUnit: PlainText(100).pipe(z.string().min(1, 'name the business unit')),
  ownerId: z.uuid(),
  causes: Description.default(''),
  consequences: Description.default(''),
};

export const RiskCreateInput = z.object({ tenantId: TenantId, ...RiskFields });
export type RiskCreateInput = z.input<typeof RiskCreateInput>;
export const RiskUpdateInput = z.object({ ...RiskFields, expectedVersion: Version });
export type RiskUpdateInput = z.input<typeof RiskUpdateInput>;
export const RiskDeleteQuery = ExpectedVersionQuery;

/** Who may own a risk, control, treatment, action or KRI: holders of risk:manage or risk:approve. */
export const RiskOwner = z.object({ id: z.string(), displayName: z.string(), username: z.string(), role: z.string() });
export type RiskOwner = z.infer<typeof RiskOwner>;
/** `tenantId`: only people who act for that tenant (bank-wide users act for every tenant). */
export const RiskOwnerQuery = z.object({ tenantId: TenantId.optional() });
export type RiskOwnerQuery = z.infer<typeof RiskOwnerQuery>;

const boolQuery = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

export const RiskListQuery = PageQuery.extend({
  tenantId: TenantId.optional(),
  category: RiskCategory.optional(),
  status: z.union([RiskStatus, z.literal('OPEN'), z.literal('ALL')]).default('OPEN'),
  ownerId: z.uuid().optional(),
  /** A level key of the basis score (e.g. HIGH). */
  level: PlainText(40).optional(),
  reviewOverdue: boolQuery.optional(),
  q: PlainText(100).optional(),
  /** A heat-map cell: both likelihood and impact, read on `basis`. */
  likelihood: z.coerce.number().int().min(1).max(10).optional(),
  impact: z.coerce.number().int().min(1).max(10).optional(),
  basis: z.enum(['inherent', 'residual']).default('residual'),
  sort: z.enum(['reference', 'title', 'inherentScore', 'residualScore', 'nextReviewAt', 'updatedAt']).default('residualScore'),
  direction: SortDirection.default('desc'),
}).refine((q) => (q.likelihood === undefined) === (q.impact === undefined), { path: ['impact'], message: 'a cell needs both likelihood and impact' });
export type RiskListQuery = z.infer<typeof RiskListQuery>;

/** Risks in one cell of the heat map. */
export const HeatMapCell = z.object({ likelihood: z.number().int(), impact: z.number().int(), count: z.number().int() });
export type HeatMapCell = z.infer<typeof HeatMapCell>;

export const RiskPage = z.object({
  items: z.array(Risk),
  total: z.number().int().nonnegative(),
  page: z.number().int().nonnegative(),
  pageSize: z.number().int().positive(),
  /**
   * Counts per (likelihood, impact) for every filter except the cell: clicking a cell narrows the
   * items, the map stays whole. Only non-empty cells are listed; the grid comes from `matrix`.
   */
  heatMap: z.object({ inherent: z.array(HeatMapCell), residual: z.array(HeatMapCell) }),
  /** The current matrix, to draw the grid with its level colours (null before one is seeded). */
  matrix: z.object({ id: z.uuid(), versionNumber: z.number().int(), definition: RiskMatrixDefinition }).nullable(),
});
export type RiskPage = z.infer<typeof RiskPage>;

export const RiskStatusInput = z
  .object({ status: RiskStatus, note: NoteText(2000).default(''), expectedVersion: Version })
  .refine((s) => s.status !== 'CLOSED' || s.note.length >= 5, { path: ['note'], message: 'say in a few words why the risk is closed' });
export type RiskStatusInput = z.input<typeof RiskStatusInput>;

// ---------------------------------------------------------------------------------------------
// Assessments

export const RiskAssessmentInput = z
  .object({
    inherentLikelihood: Step,
    inherentImpact: Step,
    /** The assessor's view of the risk today; left out = not judged separately. */
    currentLikelihood: Step.optional(),
    currentImpact: Step.optional(),
    note: NoteText(2000).default(''),
    expectedVersion: Version,
  })
  .refine((a) => (a.currentLikelihood === undefined) === (a.currentImpact === undefined), {
    path: ['currentImpact'],
    message: 'give both current likelihood and current impact, or neither',
  });
export type RiskAssessmentInput = z.input<typeof RiskAssessmentInput>;

export const RiskAssessment = z.object({
  id: z.uuid(),
  riskId: z.uuid(),
  tenantId: z.string(),
  matrixVersionId: z.uuid(),
  matrixVersionNumber: z.number().int(),
  /** The matrix exactly as it was when assessed: the scores below are reproducible from it. */
  matrix: RiskMatrixDefinition,
  inherent: RiskScore,
  current: RiskScore.nullable(),
  residual: RiskScore,
  residualExplanation: ResidualExplanation,
  note: z.string(),
  assessedById: z.string(),
  assessedByName: z.string(),
  assessedAt: z.iso.datetime(),
  version: Version,
});
export type RiskAssessment = z.infer<typeof RiskAssessment>;

// ---------------------------------------------------------------------------------------------
// Controls

export const RiskRef = z.object({ id: z.uuid(), reference: z.string(), title: z.string() });
export type RiskRef = z.infer<typeof RiskRef>;

export const Control = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  reference: z.string(),
  name: z.string(),
  description: z.string(),
  type: ControlType,
  ownerId: z.uuid(),
  ownerName: z.string(),
  frequency: ControlFrequency,
  effectiveness: ControlEffectiveness,
  lastTestedAt: z.iso.datetime().nullable(),
  lastTestResult: ControlTestResult.nullable(),
  nextTestDue: CalendarDate.nullable(),
  /** Never tested, or the next test date has passed. */
  testOverdue: z.boolean(),
  linkedRisks: z.array(RiskRef),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedBy: z.string(),
  updatedAt: z.iso.datetime(),
  version: Version,
});
export type Control = z.infer<typeof Control>;

const ControlFields = {
  name: Title,
  description: Description.default(''),
  type: ControlType,
  ownerId: z.uuid(),
  frequency: ControlFrequency,
};
export const ControlCreateInput = z.object({
  tenantId: TenantId,
  ...ControlFields,
  /** Risks of the same tenant the control mitigates. */
  riskIds: z.array(z.uuid()).max(200).default([]),
});
export type ControlCreateInput = z.input<typeof ControlCreateInput>;
export const ControlUpdateInput = z.object({ ...ControlFields, expectedVersion: Version });
export type ControlUpdateInput = z.input<typeof ControlUpdateInput>;
export const ControlDeleteQuery = ExpectedVersionQuery;

export const ControlListQuery = PageQuery.extend({
  tenantId: TenantId.optional(),
  type: ControlType.optional(),
  effectiveness: ControlEffectiveness.optional(),
  ownerId: z.uuid().optional(),
  riskId: z.uuid().optional(),
  testOverdue: boolQuery.optional(),
  q: PlainText(100).optional(),
});
export type ControlListQuery = z.infer<typeof ControlListQuery>;
export const ControlPage = z.object({
  items: z.array(Control),
  total: z.number().int().nonnegative(),
  page: z.number().int().nonnegative(),
  pageSize: z.number().int().positive(),
});
export type ControlPage = z.infer<typeof ControlPage>;

export const ControlLinkInput = z.object({ controlId: z.uuid() });

/** Evidence of a test: the same file rules as case attachments. */
export const EvidenceUpload = z
  .object({
    fileName: AttachmentFileName,
    contentType: AttachmentType,
    contentBase64: z.base64().max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 4, `at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`),
  })
  .refine((a) => (ATTACHMENT_TYPES[a.contentType].extensions as readonly string[]).includes(a.fileName.split('.').pop()?.toLowerCase() ?? ''), {
    path: ['fileName'],
    message: 'the extension does not match the file type',
  });
export type EvidenceUpload = z.input<typeof EvidenceUpload>;

export const ControlTestInput = z.object({
  /** When the test was done (default now); never in the future. */
  testedAt: BoundedInstant.optional(),
  result: ControlTestResult,
  notes: NoteText(4000).pipe(z.string().min(5, 'say in a few words what was tested and found')),
  /** Default: the test date plus the control's frequency. */
  nextTestDate: CalendarDate.optional(),
  evidence: EvidenceUpload.optional(),
});
export type ControlTestInput = z.input<typeof ControlTestInput>;

export const ControlTest = z.object({
  id: z.uuid(),
  controlId: z.uuid(),
  tenantId: z.string(),
  testerId: z.string(),
  testerName: z.string(),
  testedAt: z.iso.datetime(),
  result: ControlTestResult,
  notes: z.string(),
  evidence: z.object({ fileName: z.string(), contentType: AttachmentType, sizeBytes: z.number().int(), sha256: z.string() }).nullable(),
  nextTestDate: CalendarDate,
  createdAt: z.iso.datetime(),
  version: Version,
});
export type ControlTest = z.infer<typeof ControlTest>;

/** A control test recorded: the test and the control with its new effectiveness. */
export const ControlTestRecorded = z.object({ test: ControlTest, control: Control });
export type ControlTestRecorded = z.infer<typeof ControlTestRecorded>;

/** One risk with everything the detail screen shows from the register (KRIs and events: their own lists). */
export const RiskDetail = z.object({
  risk: Risk,
  controls: z.array(Control),
  treatments: z.array(Treatment),
  acceptances: z.array(RiskAcceptance),
});
export type RiskDetail = z.infer<typeof RiskDetail>;

export const RiskAssessmentList = z.array(RiskAssessment);
export const ControlTestList = z.array(ControlTest);
