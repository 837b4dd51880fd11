import { LinkButton } from '@backstage/core-components';
import { PermissionSubject } from '@krate/plugin-agents-common';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';

/** Opens the permission review form prefilled with the subject. */
export const ReviewAccessButton = ({
  namespace,
  subject,
}: {
  namespace: string;
  subject: PermissionSubject;
}) => {
  const paths = useAgentsPaths();
  return (
    <LinkButton
      size="small"
      variant="outlined"
      aria-label={`Review access of ${subject.name}`}
      to={paths.permissions({
        namespace,
        subjectKind: subject.kind,
        subject: subject.name,
      })}
    >
      Review access
    </LinkButton>
  );
};
