/** Colour for terminals only (and never with NO_COLOR); plain text everywhere else. */
import picocolors from 'picocolors';

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  phase(text: string): string;
  fault(text: string): string;
  user(text: string): string;
  warning(text: string): string;
  headline(text: string): string;
  good(text: string): string;
}

export function createPaint(color: boolean): Paint {
  const colors = picocolors.createColors(color);
  return {
    bold: colors.bold,
    dim: colors.dim,
    phase: colors.cyan,
    fault: colors.red,
    user: colors.magenta,
    warning: colors.yellow,
    headline: (text) => colors.bold(colors.red(text)),
    good: colors.green,
  };
}

export const plainPaint: Paint = createPaint(false);
