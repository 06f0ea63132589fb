import type { Metadata } from 'next';
import { signUp } from '@/app/actions/auth';
import { AuthForm } from '@/components/AuthForm';

export const metadata: Metadata = { title: 'Create account · PaDiM' };

export default function SignUpPage() {
  return <AuthForm mode="sign-up" action={signUp} />;
}
