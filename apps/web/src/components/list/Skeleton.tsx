/** Stand-in rows while a conversation's first page is on its way: its shape, not a false "empty". */
export function MessageSkeleton({ label = 'Loading messages…' }: { label?: string }) {
  return (
    <div className="skeleton" role="status" aria-label={label}>
      {[72, 45, 88, 60, 35].map((width, index) => (
        <div className="skeleton__row" key={index} aria-hidden="true">
          <span className="skeleton__avatar" />
          <span className="skeleton__lines">
            <span className="skeleton__line skeleton__line--short" />
            <span className="skeleton__line" style={{ width: `${width}%` }} />
          </span>
        </div>
      ))}
    </div>
  );
}
