// Pure helpers of the queue members screen: the PUT /queues/{name} body after adding or removing one
// member (the API replaces the whole queue, so the body keeps managers and escalateTo as read).

export interface QueueView {
  readonly name?: string;
  readonly members: readonly string[];
  readonly managers: readonly string[];
  readonly escalateTo?: string | null;
}

export interface QueueBody {
  members: string[];
  managers: string[];
  escalateTo?: string;
}

function bodyOf(queue: QueueView, members: string[]): QueueBody {
  return { members, managers: [...queue.managers], ...(queue.escalateTo ? { escalateTo: queue.escalateTo } : {}) };
}

/** Adds a member (trimmed; one already there is not added twice). */
export function withMember(queue: QueueView, member: string): QueueBody {
  const id = member.trim();
  return bodyOf(queue, queue.members.includes(id) || id === '' ? [...queue.members] : [...queue.members, id]);
}

export function withoutMember(queue: QueueView, member: string): QueueBody {
  return bodyOf(queue, queue.members.filter((m) => m !== member));
}
