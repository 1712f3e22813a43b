/** Estimators work in nats; reports, charts and summaries show bits. */
export const BITS_PER_NAT = 1 / Math.LN2;
