import * as z from '#domain/shared/zod.ts';

/**
 * A staff user as sales records name them (`ownerId`) and as listings filter by them (`?owner=`):
 * the Cognito `sub`, or the user's email address where a team keeps owners that way (an owner whose
 * id is an email address gets the activity reminders by mail, as case notices do). One definition
 * for every sales record and filter, so any owner a record can hold can also be asked for. No `#`:
 * owners are parts of index keys (`LEAD_OWNER_STATUS#<ownerId>#<status>`).
 */
export const UserId = z.onFirstUse(() => z.string().check(z.regex(/^[^\s#\u0000-\u001f\u007f]{1,128}$/, 'must be a user id: 1 to 128 characters, no spaces, # or control characters')));

/**
 * A reference to another record (an account, a campaign, an opportunity): the same shape as the
 * ids in paths (functions/shared/query.ts PathId). `what` names it in the message ("an account id").
 */
export const recordId = (what = 'id') => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/, `must be an ${what}`));
