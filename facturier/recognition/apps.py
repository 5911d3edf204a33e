from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "facturier.recognition"
    label = "recognition"

    def ready(self):
        from facturier.invoices.models import IncomingFile
        from facturier.invoices.signals import unstructured_received
        from facturier.recognition.service import start

        unstructured_received.connect(start, sender=IncomingFile, dispatch_uid="recognition.start")
