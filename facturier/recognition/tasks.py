"""Background reading of unstructured invoices (the Django tasks API): a 20-page scan holds no request up."""

from django_tasks import task

from facturier.recognition import service


@task()
def recognise_file(recognition_id):
    recognition = service.read(recognition_id)
    return recognition.state if recognition is not None else None
