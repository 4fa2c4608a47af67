/** The report's sections, in page order: adding one is adding a module and a line here. */
import { accuracySection } from './accuracy.ts';
import { agreementSection } from './agreement.ts';
import { bitsSection } from './bits.ts';
import { configSection } from './config.ts';
import { distributionsSection } from './distributions.ts';
import { floatNodesSection } from './float-nodes.ts';
import type { ReportSection } from './section.ts';
import { sizesSection } from './sizes.ts';
import { sqnrSection } from './sqnr.ts';
import { weightsSection } from './weights.ts';

export const SECTIONS: readonly ReportSection[] = [
  accuracySection,
  sqnrSection,
  distributionsSection,
  weightsSection,
  bitsSection,
  floatNodesSection,
  agreementSection,
  sizesSection,
  configSection,
];
