from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo firms, people and dossiers if they are missing."

    def handle(self, *args, **options):
        self.stdout.write("No demo data yet.")
