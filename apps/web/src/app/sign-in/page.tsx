import type { Metadata } from 'next';
import { signIn } from '@/app/actions/auth';
import { AuthForm } from '@/components/AuthForm';

export const metadata: Metadata = { title: 'Sign in · PaDiM' };

export default function SignInPage() {
  return <AuthForm mode="sign-in" action={signIn} />;
}
