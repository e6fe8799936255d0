/** Hook priorities: CRITICAL hooks run first; hooks of equal priority run in registration order. */
export const EventPriority = {
  CRITICAL: 0,
  HIGH: 1,
  MEDIUM: 2,
  LOW: 3,
} as const;
export type EventPriority = (typeof EventPriority)[keyof typeof EventPriority];
