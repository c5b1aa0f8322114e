-- The tracker store's database beside the application database (deploy/compose.yml).
CREATE DATABASE rasa OWNER intake;
