"""Development tools the test suite and the bench both use (neither ships in the image)."""
