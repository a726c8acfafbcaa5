import type { Page } from 'playwright-core';

/** The sign-in steps every journey starts with, done through the page as a person would. */
export async function signInWithPassword(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByRole('tab', { name: 'Email and password' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

export async function signInWithKey(page: Page, baseUrl: string, kind: 'API key' | 'Operator key', key: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByRole('tab', { name: kind }).click();
  await page.getByLabel(kind, { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}
