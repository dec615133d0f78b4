/**
 * The share of OUTBOX_RATE_PER_SEC left unused by default (OUTBOX_RATE_HEADROOM): sends are spaced evenly at the
 * rest, so that network jitter cannot crowd one second with one send more than Teams allows.
 */
export const DEFAULT_RATE_HEADROOM = 0.03;
