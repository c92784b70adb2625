// The shared building blocks every screen uses (BRIEF: names are fixed).
export { ProblemAlert } from './problem-alert.tsx';
export { usePagedList, Pager, type PagedList, type PageOf } from './paged-list.tsx';
export { useResource, type Resource } from './use-resource.ts';
export { Field } from './field.tsx';
export { StaleEditNotice } from './stale-edit-notice.tsx';
export { Page, APP_NAME } from './page.tsx';
