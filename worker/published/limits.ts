/** Size limits of published apps; the archive cap may be lowered with the MAX_ARCHIVE_BYTES var. */
import { defaultArchiveLimits, type ArchiveLimits } from '../../shared/archive/zip-entries.ts';
import type { PlatformEnv } from '../env.ts';

export const DEFAULT_MAX_ARCHIVE_BYTES = 25 * 1024 * 1024;

/** Largest linear memory a published component's instance may grow to (its modules are capped and tracked for it). */
export const PUBLISHED_MAX_MEMORY_BYTES = 256 * 1024 * 1024;

export interface PublishLimits {
  maxArchiveBytes: number;
  /** What reading the archive may cost: inflated bytes (counted as they come out), entries, time. */
  archive: ArchiveLimits;
}

export function limitsOf(env: PlatformEnv): PublishLimits {
  const configured = Number(env.MAX_ARCHIVE_BYTES);
  const maxArchiveBytes = Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_MAX_ARCHIVE_BYTES;
  return { maxArchiveBytes, archive: { ...defaultArchiveLimits, maxExpandedBytes: 4 * maxArchiveBytes } };
}
