"""Live classroom state: a class, its members, the lecturer's view, questions and answers."""
