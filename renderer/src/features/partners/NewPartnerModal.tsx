import { useState, type FormEvent } from 'react';
import { Checkbox, Modal, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { SCOPES, SCOPE_LABELS, isScope } from '../../../../shared/api';
import { FormFooter } from '../../components/FormFooter';
import { useAppStore } from '../../state';
import {
  EMPTY_PARTNER_FORM,
  checkPartnerForm,
  fieldMessage,
  formFieldFor,
  type PartnerFormErrors,
  type PartnerFormValues,
} from './partner-form';

interface Props {
  accountId: string;
  opened: boolean;
  onClose: () => void;
}

export function NewPartnerModal({ accountId, opened, onClose }: Props) {
  const createPartner = useAppStore((s) => s.createPartner);
  const [values, setValues] = useState<PartnerFormValues>(EMPTY_PARTNER_FORM);
  const [errors, setErrors] = useState<PartnerFormErrors>({});
  const [submitting, setSubmitting] = useState(false);

  function update<K extends keyof PartnerFormValues>(field: K, value: PartnerFormValues[K]) {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));
  }

  function close() {
    setValues(EMPTY_PARTNER_FORM);
    setErrors({});
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkPartnerForm(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setSubmitting(true);
    const result = await createPartner(accountId, checked.value);
    setSubmitting(false);
    if (result.ok) {
      close();
      return;
    }
    const field = result.error.code === 'invalid_input' ? formFieldFor(result.error.field) : null;
    if (field) setErrors({ [field]: fieldMessage(result.error.field ?? '', result.error.message) });
    else setErrors({ form: result.error.message });
  }

  return (
    <Modal opened={opened} onClose={close} title="New partner" size="lg">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Name"
            placeholder="Nightly report agent"
            value={values.name}
            onChange={(e) => update('name', e.currentTarget.value)}
            error={errors.name}
            data-autofocus
            required
          />
          <Textarea
            label="Description"
            placeholder="What this partner is and who runs it (optional)"
            value={values.description}
            onChange={(e) => update('description', e.currentTarget.value)}
            error={errors.description}
            autosize
            minRows={2}
            maxRows={5}
          />
          <Checkbox.Group
            label="Scopes"
            description="What the partner's key may do. Scopes are independent: none implies another."
            value={values.permissions}
            onChange={(next) => update('permissions', next.filter(isScope))}
            error={errors.permissions}
            required
          >
            <SimpleGrid cols={2} spacing="xs" verticalSpacing="xs" mt="xs">
              {SCOPES.map((scope) => (
                <Checkbox key={scope} value={scope} label={SCOPE_LABELS[scope]} description={scope} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <SimpleGrid cols={2} spacing="md">
            <TextInput
              label="Monthly token limit"
              description="Leave empty for no limit"
              placeholder="Unlimited"
              inputMode="numeric"
              autoComplete="off"
              value={values.maxTokensPerMonth}
              onChange={(e) => update('maxTokensPerMonth', e.currentTarget.value)}
              error={errors.maxTokensPerMonth}
            />
            <TextInput
              label="Requests per minute"
              description="Leave empty for the server default"
              placeholder="Server default"
              inputMode="numeric"
              autoComplete="off"
              value={values.requestsPerMinute}
              onChange={(e) => update('requestsPerMinute', e.currentTarget.value)}
              error={errors.requestsPerMinute}
            />
          </SimpleGrid>
          <TextInput
            type="datetime-local"
            label="Expires"
            description="Your local time. Leave empty for a key that never expires."
            value={values.expiresAt}
            onChange={(e) => update('expiresAt', e.currentTarget.value)}
            error={errors.expiresAt}
          />
          <FormFooter error={errors.form} submitLabel="Create partner" submitting={submitting} onCancel={close} errorTestId="form-error" />
        </Stack>
      </form>
    </Modal>
  );
}
