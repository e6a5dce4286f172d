import { z } from 'zod';

/** Answer of `GET /calendar/feed-url` and its rotation: the secret, read-only iCalendar feed URL. */
export const calendarFeedUrl = z
  .object({
    url: z.string().meta({
      description: 'Absolute URL of the feed; anyone holding it can read the calendar, nothing else',
    }),
  })
  .meta({ id: 'CalendarFeedUrl' });

export type CalendarFeedUrl = z.infer<typeof calendarFeedUrl>;
