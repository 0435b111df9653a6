import { useState, type FormEvent } from 'react';
import { Checkbox, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { addAccountInput, type IpcError } from '../../../../shared/ipc';
import { FormFooter } from '../../components/FormFooter';
import { useAppStore } from '../../state';
import { fieldMessage } from '../partners/partner-form';

type Field = 'name' | 'baseUrl' | 'adminKey' | 'allowInsecureStorage';
type Errors = Partial<Record<Field | 'form', string>>;

const FIELDS: readonly Field[] = ['name', 'baseUrl', 'adminKey', 'allowInsecureStorage'];

function placeError(field: string | undefined, message: string): Errors {
  const head = (field ?? '').split(/[.[]/)[0] as Field;
  return FIELDS.includes(head) ? { [head]: fieldMessage(field ?? '', message) } : { form: message };
}

const CONSENT_NEEDED = 'Tick this box to save the key without OS encryption';

/** Every field's problem at once (checked with the contract's own schema), not one per submit. */
export function checkAccountForm(input: Record<string, unknown>, needsConsent: boolean): Errors {
  const errors: Errors = {};
  const checked = addAccountInput.safeParse(input);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = issue.path.map(String).join('.');
      const placed = placeError(field, issue.message);
      for (const [key, message] of Object.entries(placed) as [Field | 'form', string][]) errors[key] ??= message;
    }
  }
  if (needsConsent && input.allowInsecureStorage !== true) errors.allowInsecureStorage ??= CONSENT_NEEDED;
  return errors;
}

function adminKeyHelp(secure: boolean | null): string {
  if (secure === true) return "Encrypted by your operating system's key store; never shown again after saving.";
  if (secure === false) {
    return 'This computer has no OS key encryption: the key is saved in a file that anyone who can read your files could read.';
  }
  return 'Never shown again after saving.';
}

function serverErrors(error: IpcError): Errors {
  if (error.code === 'insecure_storage') return { allowInsecureStorage: error.message };
  return placeError(error.field, error.message);
}

export function AddAccountModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const vault = useAppStore((s) => s.vault);
  const addAccount = useAppStore((s) => s.addAccount);
  const insecure = vault !== null && !vault.secure;

  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [adminKey, setAdminKey] = useState('');
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);

  function close() {
    // The admin key must not linger in the form once the dialog is gone.
    setName('');
    setBaseUrl('');
    setAdminKey('');
    setConsent(false);
    setErrors({});
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      name,
      baseUrl: baseUrl.trim(),
      adminKey: adminKey.trim(),
      ...(insecure ? { allowInsecureStorage: consent } : {}),
    };
    const problems = checkAccountForm(input, insecure);
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      return;
    }
    setErrors({});
    setSubmitting(true);
    const result = await addAccount(input);
    setSubmitting(false);
    if (result.ok) close();
    else setErrors(serverErrors(result.error));
  }

  return (
    <Modal opened={opened} onClose={close} title="Add account" size="md">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Name"
            placeholder="Acme production"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            data-autofocus
            required
          />
          <TextInput
            label="Server URL"
            placeholder="https://partners.example.com"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.currentTarget.value)}
            error={errors.baseUrl}
            required
          />
          <PasswordInput
            label="Admin key"
            description={adminKeyHelp(vault ? vault.secure : null)}
            placeholder="sk-ant-admin-…"
            value={adminKey}
            onChange={(e) => setAdminKey(e.currentTarget.value)}
            error={errors.adminKey}
            autoComplete="off"
            required
          />
          {insecure ? (
            <Checkbox
              label="I agree to save this key without OS encryption."
              checked={consent}
              onChange={(e) => setConsent(e.currentTarget.checked)}
              error={errors.allowInsecureStorage}
            />
          ) : null}
          <FormFooter error={errors.form} submitLabel="Add account" submitting={submitting} onCancel={close} />
        </Stack>
      </form>
    </Modal>
  );
}
