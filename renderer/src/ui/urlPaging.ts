// Paging kept in the URL (list screens with a ServerGrid): a link or a reload shows the same page.

/** The URL after the grid's page or page size changed; a new page size goes back to the first page. */
export function withPageModel(search: URLSearchParams, model: { page: number; pageSize: number }, currentPageSize: number): URLSearchParams {
  const next = new URLSearchParams(search);
  if (model.page) next.set('page', String(model.page));
  else next.delete('page');
  if (model.pageSize !== currentPageSize) {
    next.set('pageSize', String(model.pageSize));
    next.delete('page');
  }
  return next;
}
