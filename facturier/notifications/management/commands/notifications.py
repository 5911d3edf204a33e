from django.core.management.base import BaseCommand

from facturier.notifications.mail import send_digests


class Command(BaseCommand):
    help = "digest: e-mail each person the daily digest of their notifications (run it once a day from cron)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["digest"])

    def handle(self, *args, action, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent")
