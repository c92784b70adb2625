import { ValidationError, type FieldIssue } from '../shared/errors.ts';
import { type CategoryNode, type CategoryTree, MAX_CATEGORIES, MAX_CATEGORY_DEPTH } from './article.schema.ts';

// Rules of the category tree beyond its schema: ids unique across the whole tree, at most three
// levels, at most MAX_CATEGORIES in all.

/** Every id in the tree, depth first. */
export function categoryIds(tree: CategoryTree): string[] {
  const ids: string[] = [];
  const walk = (nodes: readonly CategoryNode[]) => {
    for (const node of nodes) {
      ids.push(node.id);
      walk(node.children ?? []);
    }
  };
  walk(tree.categories);
  return ids;
}

/** Throws a ValidationError naming the path of each duplicate id or too-deep level. */
export function checkCategoryTree(tree: CategoryTree): void {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, string>();
  let count = 0;
  const walk = (nodes: readonly CategoryNode[], path: string, depth: number) => {
    if (depth > MAX_CATEGORY_DEPTH) {
      issues.push({ path, message: `is a level below the third; categories nest at most ${MAX_CATEGORY_DEPTH} levels deep` });
      return;
    }
    nodes.forEach((node, i) => {
      const at = `${path}.${i}`;
      count++;
      const first = seen.get(node.id);
      if (first) issues.push({ path: `${at}.id`, message: `repeats the id of ${first}; ids are unique across the tree` });
      else seen.set(node.id, `${at}.id`);
      if (node.children?.length) walk(node.children, `${at}.children`, depth + 1);
    });
  };
  walk(tree.categories, 'categories', 1);
  if (count > MAX_CATEGORIES) issues.push({ path: 'categories', message: `holds ${count} categories; at most ${MAX_CATEGORIES} in all` });
  if (issues.length > 0) throw new ValidationError('The category tree is not valid.', issues);
}
