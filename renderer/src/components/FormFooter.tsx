import { Alert, Button, Group } from '@mantine/core';

/** The end of every dialog form: an error that belongs to no single field, then Cancel and submit. */
export function FormFooter(props: {
  error: string | undefined;
  submitLabel: string;
  submitting: boolean;
  onCancel: () => void;
  errorTestId?: string;
}) {
  return (
    <>
      {props.error ? (
        <Alert color="red" variant="light" data-testid={props.errorTestId}>
          {props.error}
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={props.onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={props.submitting}>
          {props.submitLabel}
        </Button>
      </Group>
    </>
  );
}
