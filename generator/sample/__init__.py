"""The sample of vsop: Acme CRM (static pages in ``acme/``), scenarios performed in it and in mousepad,
and the driver that performs them with real X input while ``vsop record`` runs.

Used by the tests, to make the recorded fixtures, and for demos."""
