document.body.textContent = 'Gym Rollouts viewer';
