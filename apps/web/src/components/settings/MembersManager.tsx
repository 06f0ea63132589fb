'use client';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { graphql } from '@/gql';
import type { Role, SettingsMembersQuery } from '@/gql/graphql';
import { mutate } from '@/lib/client';
import { ConfirmButton } from './ConfirmButton';
import { DateTime } from './DateTime';
import { Notice } from './Notice';
import { useAction } from './useAction';
import { assignableRoles, ROLE_HINT, ROLE_TEXT } from './roles';
import styles from './settings.module.css';

const AddMember = graphql(`
  mutation SettingsAddMember($input: AddMemberInput!) {
    addMember(input: $input) {
      id
      role
      user {
        email
      }
    }
  }
`);

const ChangeMemberRole = graphql(`
  mutation SettingsChangeMemberRole($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) {
      id
      role
    }
  }
`);

const RemoveMember = graphql(`
  mutation SettingsRemoveMember($userId: ID!) {
    removeMember(userId: $userId) {
      id
    }
  }
`);

type Member = SettingsMembersQuery['members']['edges'][number]['node'];

export function MembersManager({
  members,
  viewerRole,
  viewerId,
}: {
  members: Member[];
  viewerRole: Role | null;
  viewerId: string | null;
}) {
  const router = useRouter();
  const roles = assignableRoles(viewerRole);
  const emailId = useId();
  const roleId = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const { busy: adding, notice, run } = useAction('Not added: ');

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    await run(async () => {
      const { addMember } = await mutate(AddMember, { input: { email: email.trim(), role } });
      setEmail('');
      router.refresh();
      return `${addMember.user.email} is now a member (${ROLE_TEXT[addMember.role]}).`;
    });
  }

  return (
    <>
      <section className="card" aria-labelledby="add-member-title">
        <h2 id="add-member-title">Add a member</h2>
        <p className="muted">
          The person needs an account already (they can sign up with their email); you can grant at
          most your own role.
        </p>
        <form className={styles.inline} onSubmit={add}>
          <label htmlFor={emailId} className={styles.grow}>
            Email
            <input
              id={emailId}
              type="email"
              required
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <div className={styles.field}>
            <label htmlFor={roleId}>Role</label>
            <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_TEXT[r]}: {ROLE_HINT[r]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="primary" disabled={adding}>
            {adding ? 'Adding…' : 'Add member'}
          </button>
        </form>
        <Notice notice={notice} />
      </section>

      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {members.length === 0 ? (
          <p className="muted">No members on this page.</p>
        ) : (
          <div className={styles.tableWrap}>
            <table>
              <caption className="sr-only">Members of the organization, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <MemberRow
                    key={m.id}
                    member={m}
                    you={m.user.id === viewerId}
                    roles={roles}
                    onChanged={() => router.refresh()}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function MemberRow({
  member,
  you,
  roles,
  onChanged,
}: {
  member: Member;
  you: boolean;
  roles: Role[];
  onChanged: () => void;
}) {
  const selectId = useId();
  const [role, setRole] = useState<Role>(member.role);
  const { busy, notice, run } = useAction();
  // Members above the viewer's own role cannot be changed by the viewer (the API says so too).
  const manageable = roles.includes(member.role);
  const name = member.user.name || member.user.email;

  const changeRole = () =>
    run(
      async () => {
        const { changeMemberRole } = await mutate(ChangeMemberRole, {
          input: { userId: member.user.id, role },
        });
        onChanged();
        return `Now ${ROLE_TEXT[changeMemberRole.role]}.`;
      },
      () => setRole(member.role),
    );

  const remove = () =>
    run(async () => {
      await mutate(RemoveMember, { userId: member.user.id });
      onChanged();
    });

  return (
    <tr>
      <td>
        {member.user.name}
        {you && <span className="muted"> (you)</span>}
      </td>
      <td>{member.user.email}</td>
      <td>
        {manageable ? (
          <div className="row">
            <label htmlFor={selectId} className="sr-only">
              Role of {name}
            </label>
            <select
              id={selectId}
              value={role}
              disabled={busy}
              onChange={(e) => setRole(e.target.value as Role)}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_TEXT[r]}
                </option>
              ))}
            </select>
            {role !== member.role && (
              <button type="button" className="primary" disabled={busy} onClick={changeRole}>
                Save role
              </button>
            )}
          </div>
        ) : (
          <span className={`badge ${styles.role}`}>{ROLE_TEXT[member.role]}</span>
        )}
      </td>
      <td>
        <DateTime value={member.createdAt} />
      </td>
      <td>
        {manageable && (
          <ConfirmButton
            confirm={you ? 'Yes, leave' : 'Yes, remove'}
            label={you ? 'Leave the organization' : `Remove ${name}`}
            busy={busy}
            onConfirm={remove}
          >
            {you ? 'Leave' : 'Remove'}
          </ConfirmButton>
        )}
        <Notice notice={notice} />
      </td>
    </tr>
  );
}
