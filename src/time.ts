/** Wijzer works in Dutch time: reminders, digests and the dates shown to participants. */
export const TIME_ZONE = 'Europe/Amsterdam';
