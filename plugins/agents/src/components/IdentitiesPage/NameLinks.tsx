import { Link } from '@backstage/core-components';
import { Fragment } from 'react';

/** Names as comma-separated links, or `—` without any. */
export const NameLinks = ({
  names,
  to,
}: {
  names: string[];
  to: (name: string) => string;
}) =>
  names.length ? (
    <>
      {names.map((name, index) => (
        <Fragment key={name}>
          {index > 0 && ', '}
          <Link to={to(name)}>{name}</Link>
        </Fragment>
      ))}
    </>
  ) : (
    <>—</>
  );
