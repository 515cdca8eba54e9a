"""n8n forms served by Hive: the Form Trigger's page, Form node pages and the form's ending."""
